"""Evidence kinds (uploaded files, protected sources), stance, upload checks,
what approval needs of sources, and the API's evidence fields."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from annotations import uploads, workflow
from annotations.models import Archive, Evidence
from tests import factories

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


@pytest.fixture(autouse=True)
def _media(media):
    return media


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def png(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 12.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def minimal_pdf(extra: bytes = b"") -> bytes:
    return b"%PDF-1.4\n1 0 obj<<" + extra + b">>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- upload checks --------------------------------------------------------------


def test_an_image_is_re_encoded_without_exif_and_gets_a_thumbnail():
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    checked = uploads.check(original, name="photo.JPG")
    assert checked.content_type == "image/jpeg"
    assert b"SecretCam" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert not image.getexif()
        assert image.size == (64, 48)
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.size[0] <= 320 and thumb.format == "PNG"


def test_a_png_renamed_pdf_is_refused():
    with pytest.raises(uploads.UploadRejected, match=r"named “scan.pdf” but its content is a PNG"):
        uploads.check(png(), name="scan.pdf")


def test_an_svg_with_a_script_is_refused():
    with pytest.raises(uploads.UploadRejected, match="SVG image, which can carry scripts"):
        uploads.check(SVG_WITH_SCRIPT, name="chart.svg")


def test_an_svg_renamed_png_is_refused_too():
    with pytest.raises(uploads.UploadRejected, match="SVG"):
        uploads.check(SVG_WITH_SCRIPT, name="chart.png")


def test_an_oversized_file_is_refused(settings):
    settings.FACTCHECK_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(uploads.UploadRejected, match="the limit is 1,000 bytes"):
        uploads.check(png(size=(400, 400)) + b"", name="big.png")


@pytest.mark.parametrize(
    "data, name",
    [
        (png() + b"<html><script>alert(1)</script></html>", "polyglot.png"),
        (jpeg_with_exif() + b"PK\x03\x04 a zip archive follows", "polyglot.jpg"),
        (minimal_pdf() + b"<script>alert(1)</script>", "polyglot.pdf"),
        (minimal_pdf(b"/Type/Catalog <script>x</script>"), "inside.pdf"),
    ],
)
def test_a_polyglot_is_refused(data, name):
    with pytest.raises(uploads.UploadRejected, match="polyglot"):
        uploads.check(data, name=name)


def test_a_pdf_with_javascript_is_refused():
    with pytest.raises(uploads.UploadRejected, match="scripts, actions or embedded files"):
        uploads.check(minimal_pdf(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"), name="a.pdf")


def test_a_clean_pdf_is_kept_as_it_is():
    data = minimal_pdf()
    checked = uploads.check(data, name="report.pdf")
    assert checked.data == data and checked.content_type == "application/pdf"
    assert checked.thumbnail is None


def test_a_truncated_image_is_refused():
    data = png()
    broken = data[:40] + data[-12:]
    with pytest.raises(uploads.UploadRejected, match="cannot be read"):
        uploads.check(broken, name="broken.png")


# --- the panel's forms ---------------------------------------------------------------


def upload(client, claim, data: bytes, name: str, **fields):
    return client.post(
        f"/claims/{claim.pk}/sources/upload/",
        {
            "file": SimpleUploadedFile(name, data),
            "version": claim.version,
            "stance": "supports",
            **fields,
        },
    )


def test_uploading_a_screenshot_adds_a_file_source(editor_client, draft, media):
    response = upload(editor_client, draft, jpeg_with_exif(), "screenshot.jpg", title="Tweet")
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=draft)
    assert evidence.kind == Evidence.Kind.FILE
    assert evidence.title == "Tweet"
    assert evidence.file_type == "image/jpeg"
    assert evidence.thumbnail
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert b"SecretCam" not in handle.read()
    draft.refresh_from_db()
    assert draft.events.filter(action="evidence_added").exists()
    served = editor_client.get(f"/sources/{evidence.pk}/file/")
    assert served["Content-Type"] == "image/jpeg"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Content-Disposition"].startswith("inline;")


def test_an_uploaded_pdf_is_served_as_a_download(editor_client, draft):
    upload(editor_client, draft, minimal_pdf(), "report.pdf")
    evidence = Evidence.objects.get(claim=draft)
    served = editor_client.get(f"/sources/{evidence.pk}/file/")
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (png(), "renamed.pdf", "its content is a PNG image"),
        (SVG_WITH_SCRIPT, "chart.svg", "SVG image"),
        (png() + b"<script>alert(1)</script>", "poly.png", "polyglot"),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    editor_client, draft, media, data, name, message
):
    response = upload(editor_client, draft, data, name)
    page = editor_client.get(response.url).text
    assert "The file was not added." in page and message in page
    assert not Evidence.objects.filter(claim=draft).exists()
    assert stored_files(media) == []


def test_an_oversized_upload_is_refused_before_reading(editor_client, draft, media, settings):
    settings.FACTCHECK_UPLOAD_MAX_BYTES = 500
    response = upload(editor_client, draft, png(size=(300, 300)), "big.png")
    page = editor_client.get(response.url).text
    assert "the limit is 500 bytes" in page
    assert stored_files(media) == []


def test_a_stale_upload_is_refused(editor_client, draft, media):
    response = editor_client.post(
        f"/claims/{draft.pk}/sources/upload/",
        {"file": SimpleUploadedFile("a.png", png()), "version": draft.version + 5},
    )
    assert response.status_code == 302
    assert not Evidence.objects.filter(claim=draft).exists()


def test_marking_a_protected_source(editor_client, draft):
    response = editor_client.post(
        f"/claims/{draft.pk}/sources/protected/",
        {
            "version": draft.version,
            "title": "Interview with the ministry's deputy press officer",
            "reason": "Interview with an official who asked not to be named.",
            "stance": "refutes",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=draft)
    assert evidence.kind == Evidence.Kind.PROTECTED
    assert evidence.stance == Evidence.Stance.REFUTES
    assert evidence.is_backed


def test_a_protected_source_needs_a_reason(editor_client, draft):
    editor_client.post(
        f"/claims/{draft.pk}/sources/protected/",
        {"version": draft.version, "reason": "  ", "stance": "supports"},
    )
    assert not Evidence.objects.filter(claim=draft).exists()


def test_outsiders_cannot_upload(client, outsider, draft, media):
    client.force_login(outsider)
    assert upload(client, draft, png(), "a.png").status_code == 403
    assert stored_files(media) == []


def test_changing_the_stance_is_recorded(editor_client, draft, editor):
    evidence = workflow.add_evidence(
        draft, by=editor, version=draft.version, url="https://stats.example.org/q1"
    )
    draft.refresh_from_db()
    response = editor_client.post(
        f"/sources/{evidence.pk}/stance/", {"version": draft.version, "stance": "context"}
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.stance == Evidence.Stance.CONTEXT
    event = draft.events.order_by("-id").first()
    assert event.changes == {f"evidence.{evidence.pk}.stance": ["supports", "context"]}


def test_an_unknown_stance_is_refused(draft, editor):
    evidence = workflow.add_evidence(
        draft, by=editor, version=draft.version, url="https://stats.example.org/q1"
    )
    draft.refresh_from_db()
    with pytest.raises(workflow.Invalid):
        workflow.set_stance(evidence, by=editor, version=draft.version, stance="maybe")


# --- approval needs checkable sources -----------------------------------------------


def submitted_with(claim, editor, **source):
    claim = workflow.update(
        claim, by=editor, version=claim.version, rating=factories.rating(), summary="No."
    )
    evidence = workflow.add_evidence(claim, by=editor, version=claim.version, **source)
    claim.refresh_from_db()
    return workflow.submit(claim, by=editor, version=claim.version), evidence


def fail_archive(evidence: Evidence, *, link_status=Evidence.LinkStatus.GONE) -> None:
    copy = Archive.objects.create(
        url=evidence.url,
        status=Archive.Status.FAILED,
        error="Fetching answered HTTP 404.",
        http_status=404,
        fetched_at="2026-01-01T00:00:00Z",
    )
    Evidence.objects.filter(pk=evidence.pk).update(archive=copy, link_status=link_status)


def test_approval_is_refused_while_a_source_has_no_working_link_nor_copy(draft, editor, reviewer):
    claim, evidence = submitted_with(draft, editor, url="https://gone.example.org/a", title="A")
    fail_archive(evidence)
    with pytest.raises(workflow.NotApplicable, match="“A” has neither a working link"):
        workflow.approve(claim, by=reviewer, version=claim.version)
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_a_working_link_is_enough_when_the_archive_failed(draft, editor, reviewer):
    claim, evidence = submitted_with(draft, editor, url="https://slow.example.org/a")
    fail_archive(evidence, link_status=Evidence.LinkStatus.OK)
    assert workflow.approve(claim, by=reviewer, version=claim.version).status == "published"


def test_an_archived_copy_is_enough_when_the_link_is_gone(draft, editor, reviewer):
    claim, evidence = submitted_with(draft, editor, url="https://gone.example.org/a")
    copy = Archive.objects.create(
        url=evidence.url, status="ok", http_status=200, fetched_at="2026-01-01T00:00:00Z"
    )
    Evidence.objects.filter(pk=evidence.pk).update(archive=copy, link_status="gone")
    assert workflow.approve(claim, by=reviewer, version=claim.version).status == "published"


def test_a_protected_source_with_a_reason_is_enough(draft, editor, reviewer):
    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="No."
    )
    workflow.add_protected_evidence(
        claim, by=editor, version=claim.version, reason="Confidential document."
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    assert workflow.approve(claim, by=reviewer, version=claim.version).status == "published"


def test_the_approve_button_shows_the_refusal_in_the_panel(client, draft, editor, reviewer):
    claim, evidence = submitted_with(draft, editor, url="https://gone.example.org/a", title="A")
    fail_archive(evidence)
    client.force_login(reviewer)
    response = client.post(
        f"/claims/{claim.pk}/transitions/approve/",
        {"version": claim.version},
        HTTP_HX_REQUEST="true",
    )
    assert "has neither a working link" in response.text
    claim.refresh_from_db()
    assert claim.status == "in_review"


# --- the API's evidence fields ----------------------------------------------------------


def test_api_evidence_carries_kind_stance_and_archive(client, draft, editor, reviewer):
    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="No."
    )
    evidence = workflow.add_evidence(
        claim, by=editor, version=claim.version, url="https://stats.example.org/q1", title="S"
    )
    claim.refresh_from_db()
    workflow.add_protected_evidence(
        claim,
        by=editor,
        version=claim.version,
        reason="Interview with an official who asked not to be named.",
        title="Deputy press officer, ministry of labour",
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    copy = Archive.objects.create(
        url=evidence.url,
        status="ok",
        http_status=200,
        sha256="ab" * 32,
        fetched_at="2013-06-17T14:02:00Z",
    )
    Evidence.objects.filter(pk=evidence.pk).update(archive=copy)
    claim = workflow.approve(claim, by=reviewer, version=claim.version)
    data = client.get(f"/api/v1/claims/{claim.pk}/").json()
    link, protected = data["evidence"]
    assert link["kind"] == "url" and link["stance"] == "supports"
    assert link["archive"] == {
        "status": "ok",
        "fetched_at": "2013-06-17T14:02:00Z",
        "sha256": "ab" * 32,
        "http_status": 200,
        "url": f"http://testserver/sources/{evidence.pk}/archive/",
    }
    assert protected["kind"] == "protected"
    assert protected["protected_reason"].startswith("Interview with an official")
    assert protected["title"] == ""  # no details for the public
    assert protected["archive"] is None


def test_api_archive_is_null_while_pending(client, editor, draft):
    token_client = client
    token_client.force_login(editor)
    workflow.add_evidence(draft, by=editor, version=draft.version, url="https://a.example.org/")
    data = token_client.get(f"/api/v1/claims/{draft.pk}/").json()
    assert data["evidence"][0]["archive"] is None
    assert data["evidence"][0]["kind"] == "url"


def test_a_correction_copies_files_protected_sources_and_archives(draft, editor, reviewer, media):
    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="No."
    )
    workflow.add_file_evidence(
        claim, by=editor, version=claim.version, checked=uploads.check(png(), name="a.png")
    )
    claim.refresh_from_db()
    workflow.add_protected_evidence(
        claim, by=editor, version=claim.version, reason="Confidential.", stance="context"
    )
    claim.refresh_from_db()
    link = workflow.add_evidence(claim, by=editor, version=claim.version, url="https://a.example/")
    copy = Archive.objects.create(url=link.url, status="ok", fetched_at="2026-01-01T00:00:00Z")
    Evidence.objects.filter(pk=link.pk).update(archive=copy)
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    claim = workflow.approve(claim, by=reviewer, version=claim.version)
    working = workflow.start_correction(
        claim, by=editor, version=claim.version, comment="Typo in the summary."
    )
    copied = {e.kind: e for e in working.evidence.all()}
    assert set(copied) == {"file", "protected", "url"}
    assert copied["file"].file.name == Evidence.objects.get(claim=claim, kind="file").file.name
    assert copied["protected"].protected_reason == "Confidential."
    assert copied["protected"].stance == "context"
    assert copied["url"].archive_id == copy.pk
