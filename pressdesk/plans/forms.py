"""Forms of the plan pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pressdesk.plans.models import Plan, Topic

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class TopicForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea)
    keywords = forms.CharField(label=_("Từ khóa (cách nhau bằng dấu phẩy)"), required=False, max_length=5000)
    target_count = forms.IntegerField(
        label=_("Chỉ tiêu số tin, bài"), required=False, min_value=0, max_value=100000
    )


class AreaForm(forms.Form):
    keywords = forms.CharField(label=_("Từ khóa (cách nhau bằng dấu phẩy)"), required=False, max_length=5000)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Tên sự kiện"), max_length=500)
    date = forms.DateField(
        label=_("Ngày (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    window_before_days = forms.IntegerField(label=_("Theo dõi trước (ngày)"), min_value=0, max_value=366)
    window_after_days = forms.IntegerField(label=_("Theo dõi sau (ngày)"), min_value=0, max_value=366)
    keywords = forms.CharField(label=_("Từ khóa (cách nhau bằng dấu phẩy)"), required=False, max_length=5000)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"
        return f"{obj.area.number}.{obj.order} {text}"


class OrientationForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    body = forms.CharField(label=_("Nội dung định hướng"), widget=forms.Textarea)
    topics = TopicChoiceField(
        label=_("Nội dung liên quan"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    valid_from = forms.DateField(
        label=_("Hiệu lực từ (dd/mm/yyyy)"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    valid_to = forms.DateField(
        label=_("Hiệu lực đến (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Topic.objects.filter(area__plan=plan).select_related("area").order_by("area__number", "order")
        )


class ImportForm(forms.Form):
    document = forms.FileField(label=_("Văn bản kế hoạch (.txt UTF-8 hoặc .docx)"))
    replace = forms.BooleanField(label=_("Thay kế hoạch cùng năm đã có"), required=False)
