"""`pressdesk backup` / `pressdesk restore`: a round trip gives back every table, row for row."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.core.audit import transition_record
from pressdesk.core.backup import read_manifest, table_fingerprints
from pressdesk.core.errors import ValidationFailed
from pressdesk.monitoring.models import IngestRun
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _some_data() -> None:
    org = OrganisationFactory(name="Sở Văn hóa, Thể thao và Du lịch Thanh Hóa")
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role="viewer")
    transition_record(subject=org, actor=user, action="tao", old="", new="nhap", note="Ghi chú có dấu")
    IngestRun.objects.create(finished_at=timezone.now(), skips={"trùng": 3}, errors={"timeout": ["x"]})


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_table(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "documents" / "2024").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "2024" / "cong-van.pdf").write_bytes(b"%PDF-1.7 original")
    _some_data()
    before = table_fingerprints()
    assert before["core_transitionrecord"][0] == 1
    assert before["accounts_organisation"][0] >= 1

    archive = tmp_path / "backups" / "pd.tar"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "Đã sao lưu" in out.getvalue()
    manifest = read_manifest(archive)
    assert manifest["vendor"] == connection.vendor and manifest["media_files"] == 1

    # Change things after the backup: new rows, deleted rows, a changed file, a new file.
    OrganisationFactory(name="Cơ quan thêm sau sao lưu")
    Membership.objects.all().delete()
    transition_record(subject=Organisation.objects.first(), actor=None, action="sau", old="a", new="b")
    (tmp_path / "media" / "documents" / "2024" / "cong-van.pdf").write_bytes(b"%PDF-1.7 changed")
    (tmp_path / "media" / "new.png").write_bytes(b"\x89PNG")
    assert table_fingerprints() != before

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())

    after = table_fingerprints()
    assert after.keys() == before.keys()
    differing = [t for t in before if before[t] != after[t]]
    assert differing == []
    assert (tmp_path / "media" / "documents" / "2024" / "cong-van.pdf").read_bytes() == b"%PDF-1.7 original"
    assert not (tmp_path / "media" / "new.png").exists()
    kept = list(tmp_path.glob("media.before-restore-*"))
    assert len(kept) == 1 and (kept[0] / "new.png").exists()


@pytest.mark.django_db(transaction=True)
def test_the_archive_contains_the_database_media_and_a_manifest(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.docx").write_bytes(b"PK")
    archive = tmp_path / "pd.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    expected_db = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    assert {"manifest.json", expected_db, "media/a.docx"} <= names


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar"
    bogus.write_bytes(b"not a tar at all")
    with pytest.raises(ValidationFailed, match="không phải bản sao lưu PressDesk"):
        read_manifest(bogus)
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(bogus), "--yes")
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", str(tmp_path / "missing.tar"), "--yes")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_another_database_kind(tmp_path):
    archive = tmp_path / "other.tar"
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    data = b'{"format": 1, "vendor": "' + other.encode() + b'", "database": "database.x", "created_at": "x"}'
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    before = table_fingerprints()
    with pytest.raises(CommandError, match="không khôi phục được"):
        call_command("restore", str(archive), "--yes")
    assert table_fingerprints() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_paths_outside_the_archive(tmp_path, settings):
    """A crafted archive with ../ paths must not write outside the extraction folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "pd.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with tarfile.open(archive, "a") as tar:
        evil = b"owned"
        info = tarfile.TarInfo("../../../../tmp/pressdesk-evil-file")
        info.size = len(evil)
        tar.addfile(info, io.BytesIO(evil))
    before = table_fingerprints()
    with pytest.raises(CommandError, match="đường dẫn không an toàn"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert table_fingerprints() == before
    assert not (tmp_path.parent / "pressdesk-evil-file").exists()
