"""Forms of the information hub: parse and validate input; services decide and record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.infohub.models import Collaborator, PressEvent, SpokespersonAppointment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    number = forms.CharField(label=_("Số thông cáo"), max_length=64, required=False)
    summary = forms.CharField(label=_("Tóm tắt"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body_text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 12}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (PDF, PNG, JPEG, DOCX)"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến, lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử"))
    body = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]


class SpokespersonForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Organisation.objects.none())
    person_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    position = forms.CharField(label=_("Chức vụ"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=SpokespersonAppointment.Kind.choices)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False, widget=DATE)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), widget=DATE)
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=DATE)

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]


class InquiryForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan được hỏi"), queryset=Organisation.objects.none())
    subject = forms.CharField(label=_("Vấn đề"), max_length=300)
    question = forms.CharField(label=_("Nội dung yêu cầu"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Giao cho"))

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(u.pk, u.get_full_name() or u.username) for u in people]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời / lý do từ chối"), widget=forms.Textarea(attrs={"rows": 6})
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=PressEvent.Kind.choices)
    title = forms.CharField(label=_("Tên"), max_length=300)
    date = forms.DateField(label=_("Ngày"), widget=DATE)
    bodies = forms.ModelMultipleChoiceField(label=_("Cơ quan tham dự"), queryset=Organisation.objects.none())
    agenda = forms.CharField(
        label=_("Chương trình"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    text = forms.CharField(label=_("Nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Cơ quan thực hiện"), queryset=Organisation.objects.none())
    due_date = forms.DateField(label=_("Hạn"), required=False, widget=DATE)

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Biên bản"), widget=forms.Textarea(attrs={"rows": 6}))


class CollaboratorForm(forms.Form):
    person_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    beats = forms.CharField(label=_("Lĩnh vực"), max_length=300, required=False)
    communes = forms.CharField(label=_("Xã, phường phụ trách"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Collaborator.Status.choices)


class ResidentReporterForm(forms.Form):
    agency_name = forms.CharField(label=_("Cơ quan báo chí"), max_length=200)
    person_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    press_card_number = forms.CharField(label=_("Số thẻ nhà báo"), max_length=32, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)


class WebsiteForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Organisation.objects.none())
    url = forms.URLField(label=_("Địa chỉ RSS/Atom hoặc sitemap"), max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()  # type: ignore[attr-defined]
