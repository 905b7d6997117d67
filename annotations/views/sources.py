"""Sources beyond a bare link: archived copies and their status, uploaded
files, protected sources, stance, link checks and URL imports on the queue.

Archived pages and uploaded files are served by the app, never from a
public media folder: they carry a Content-Security-Policy that forbids every
script, plugin and request (``sandbox``) and, for anything a browser might
run (a PDF viewer, a WARC), ``Content-Disposition: attachment``. Editors see
every copy; the public only those of published or retracted claims.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from annotations import archive, permissions, tasks, uploads, workflow
from annotations.models import Claim, Evidence
from annotations.views.common import wants_partial, workspace_view

# Nothing in a served copy may run, load or submit anything.
SANDBOX = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],
    "style-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "sandbox": True,
}


class UploadForm(forms.Form):
    file = forms.FileField(label="File (image or PDF)")
    title = forms.CharField(label="Caption", max_length=500, required=False)
    stance = forms.ChoiceField(label="Stance", choices=Evidence.Stance.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProtectedForm(forms.Form):
    reason = forms.CharField(
        label="Why it cannot be shown",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Public, e.g. “Interview with an official who asked not to be named”.",
    )
    title = forms.CharField(label="What it is (internal)", max_length=500, required=False)
    stance = forms.ChoiceField(label="Stance", choices=Evidence.Stance.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _panel_url(claim: Claim) -> str:
    url = reverse("annotations:article_detail", args=[claim.article_id])
    return f"{url}?claim={claim.pk}#claim-panel"


def _visible_evidence(request: HttpRequest, evidence_pk: int) -> Evidence:
    """The source, if this caller may see it: editors always, the public
    once its claim is published (or retracted, which stays readable)."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("claim", "claim__article", "archive"), pk=evidence_pk
    )
    if permissions.is_editor(request.user):
        return evidence
    if evidence.claim.status in Claim.PUBLIC_STATUSES and evidence.kind != "protected":
        return evidence
    raise Http404("No such source.")


def _serve(name: str, *, content_type: str, filename: str, attachment: bool) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404("The file is missing.")
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=attachment,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- URL import on the queue ---------------------------------------------------


@workspace_view("GET")
def import_status(request: HttpRequest, task_id: str) -> HttpResponse:
    status = tasks.import_status(task_id)
    if status is None:
        raise Http404("No such import.")
    url = status["url"]
    if status["state"] == "done":
        article_url = reverse("annotations:article_detail", args=[status["article"]])
        if status["created"]:
            messages.success(request, f"Imported “{status['title']}”.")
        else:
            messages.info(request, f"“{status['title']}” was imported before; here it is.")
        if request.htmx:
            return HttpResponseClientRedirect(article_url)
        return redirect(article_url)
    template = "annotations/sources_import.html"
    if wants_partial(request):
        template += "#import-state"
    return render(request, template, {"status": status, "url": url, "task_id": task_id})


# --- the panel's additions: archive state, uploads, protected, stance ------------


@workspace_view("GET")
def archive_state(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    """The archive line of one source; polled while the copy is being made."""
    evidence = get_object_or_404(Evidence.objects.select_related("archive"), pk=evidence_pk)
    return render(request, "annotations/_sources_item.html#archive-state", {"item": evidence})


@workspace_view("POST")
def archive_retry(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk)
    if evidence.kind != Evidence.Kind.URL:
        raise Http404("Only links are archived.")
    archive.forget(evidence)
    tasks.enqueue(tasks.archive_source, evidence.pk)
    evidence.refresh_from_db()
    if request.htmx:
        return render(request, "annotations/_sources_item.html#archive-state", {"item": evidence})
    messages.info(request, "Archiving the source again.")
    return redirect(_panel_url(evidence.claim))


def _answer_refusal(request: HttpRequest, claim: Claim, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect(_panel_url(claim))


@workspace_view("POST")
def source_upload(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return _answer_refusal(request, claim, f"The file was not added. {errors}")
    upload = form.cleaned_data["file"]
    limit = settings.FACTCHECK_UPLOAD_MAX_BYTES
    if upload.size > limit:
        return _answer_refusal(
            request,
            claim,
            f"The file was not added: it is {upload.size:,} bytes; the limit is {limit:,} bytes.",
        )
    try:
        checked = uploads.check(upload.read(), name=upload.name)
        workflow.add_file_evidence(
            claim,
            by=request.user,
            version=form.cleaned_data["version"],
            checked=checked,
            title=form.cleaned_data["title"],
            stance=form.cleaned_data["stance"],
        )
    except uploads.UploadRejected as error:
        return _answer_refusal(request, claim, f"The file was not added. {error.message}")
    except workflow.WorkflowError as error:
        return _answer_refusal(request, claim, str(error))
    messages.success(request, "File added as a source.")
    return redirect(_panel_url(claim))


@workspace_view("POST")
def source_protected(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_pk)
    form = ProtectedForm(request.POST)
    if not form.is_valid():
        return _answer_refusal(
            request, claim, "The protected source was not added: say why it cannot be shown."
        )
    try:
        workflow.add_protected_evidence(
            claim,
            by=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            title=form.cleaned_data["title"],
            stance=form.cleaned_data["stance"],
        )
    except workflow.WorkflowError as error:
        return _answer_refusal(request, claim, str(error))
    messages.success(request, "Protected source added.")
    return redirect(_panel_url(claim))


@workspace_view("POST")
def source_stance(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk)
    try:
        workflow.set_stance(
            evidence,
            by=request.user,
            version=request.POST.get("version"),
            stance=request.POST.get("stance", ""),
        )
    except workflow.WorkflowError as error:
        return _answer_refusal(request, evidence.claim, str(error))
    messages.success(request, "Stance saved.")
    return redirect(_panel_url(evidence.claim))


# --- serving copies and files ---------------------------------------------------


@require_GET
def archived_copy(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    """The archived copy's page: when and how it was fetched, its digest,
    and the readable text with the cited excerpt highlighted."""
    evidence = _visible_evidence(request, evidence_pk)
    copy = evidence.archive
    if copy is None:
        raise Http404("This source has no archived copy yet.")
    context = {
        "item": evidence,
        "archive": copy,
        "parts": archive.excerpt_parts(copy.text, evidence.excerpt),
        "public": not permissions.is_editor(request.user),
    }
    return render(request, "annotations/sources_archive.html", context)


@require_GET
@csp_override(SANDBOX)
def archived_page(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    copy = _visible_evidence(request, evidence_pk).archive
    if copy is None or not copy.html:
        raise Http404("No sanitized page was kept for this source.")
    response = _serve(
        copy.html.name,
        content_type="text/html; charset=utf-8",
        filename=f"archived-{evidence_pk}.html",
        attachment=False,
    )
    response["X-Frame-Options"] = "DENY"
    return response


@require_GET
@csp_override(SANDBOX)
def archived_record(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    copy = _visible_evidence(request, evidence_pk).archive
    if copy is None or not copy.warc:
        raise Http404("No WARC record was kept for this source.")
    return _serve(
        copy.warc.name,
        content_type="application/warc",
        filename=f"archived-{evidence_pk}.warc.gz",
        attachment=True,
    )


@require_GET
@csp_override(SANDBOX)
def archived_screenshot(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    copy = _visible_evidence(request, evidence_pk).archive
    if copy is None or not copy.screenshot:
        raise Http404("No screenshot was taken of this source.")
    return _serve(
        copy.screenshot.name,
        content_type="image/png",
        filename=f"archived-{evidence_pk}.png",
        attachment=False,
    )


@require_GET
@csp_override(SANDBOX)
def source_file(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    """An uploaded file: images inline (re-encoded, so nothing but pixels),
    PDFs as a download, never opened by the browser's viewer from here."""
    evidence = _visible_evidence(request, evidence_pk)
    if evidence.kind != Evidence.Kind.FILE:
        raise Http404("This source has no file.")
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return _serve(
        evidence.file.name,
        content_type=evidence.file_type,
        filename=f"source-{evidence.pk}.{extension}",
        attachment=not evidence.file_type.startswith("image/"),
    )


@require_GET
@csp_override(SANDBOX)
def source_thumbnail(request: HttpRequest, evidence_pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, evidence_pk)
    if not evidence.thumbnail:
        raise Http404("This source has no thumbnail.")
    return _serve(
        evidence.thumbnail.name,
        content_type="image/png",
        filename=f"source-{evidence.pk}-thumbnail.png",
        attachment=False,
    )


# --- the desk queue ----------------------------------------------------------------


@workspace_view("GET")
def sources_queue(request: HttpRequest) -> HttpResponse:
    """ "Sources to look at": published sources that changed or disappeared
    since they were archived, or whose archive failed."""
    items = list(archive.needs_attention()[:200])
    return render(request, "annotations/sources_queue.html", {"items": items})
