from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from annotations.models import PublicPage
from annotations.public import feeds, sitemaps
from annotations.views import (
    article_edit,
    articles,
    assist,
    claims,
    dashboard,
    inbox,
    live,
    public,
    search,
    sources,
    statistics,
    team,
)

app_name = "annotations"

urlpatterns = [
    # Workspace: articles, reader, import.
    path("", articles.article_list, name="article_list"),
    path("articles/import/", articles.article_import, name="article_import"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    # Workspace: reading assistance (check-worthiness hints, suggested claims).
    path("articles/<int:pk>/hints/", assist.article_hints, name="article_hints"),
    path("articles/<int:pk>/hints/toggle/", assist.hints_toggle, name="hints_toggle"),
    # Workspace: article details, history, revisions and orphaned claims.
    path("articles/<int:pk>/edit/", article_edit.article_edit, name="article_edit"),
    path("articles/<int:pk>/history/", article_edit.article_history, name="article_history"),
    path(
        "articles/<int:pk>/versions/", article_edit.article_new_version, name="article_new_version"
    ),
    path("articles/<int:pk>/check/", article_edit.article_check, name="article_check"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/reattach/",
        article_edit.orphan_reattach,
        name="orphan_reattach",
    ),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/dismiss-orphan/",
        article_edit.orphan_dismiss,
        name="orphan_dismiss",
    ),
    path("orphans/", article_edit.orphan_list, name="orphan_list"),
    # Workspace: the claim panel (marking, editing, verdicts, evidence, workflow).
    path("articles/<int:pk>/claims/", claims.claim_create, name="claim_create"),
    path("articles/<int:pk>/claims/<int:claim_pk>/", claims.claim_detail, name="claim_detail"),
    path("articles/<int:pk>/claims/<int:claim_pk>/edit/", claims.claim_update, name="claim_update"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/delete/",
        claims.claim_delete,
        name="claim_delete",
    ),
    path("claims/<int:claim_pk>/verdict/", claims.claim_verdict, name="claim_verdict"),
    path("claims/<int:claim_pk>/evidence/", claims.evidence_create, name="evidence_create"),
    path(
        "claims/<int:claim_pk>/evidence/<int:evidence_pk>/",
        claims.evidence_update,
        name="evidence_update",
    ),
    path(
        "claims/<int:claim_pk>/evidence/<int:evidence_pk>/delete/",
        claims.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "claims/<int:claim_pk>/transitions/<slug:action>/",
        claims.claim_transition,
        name="claim_transition",
    ),
    path("claims/<int:claim_pk>/comments/", claims.claim_comment, name="claim_comment"),
    path("claims/<int:claim_pk>/assignment/", claims.claim_assign, name="claim_assign"),
    path("claims/<int:claim_pk>/history/", claims.claim_history, name="claim_history"),
    # The desk's queues.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # Desk statistics, as a page and as one CSV file.
    path("stats/", statistics.stats_page, name="stats"),
    path("stats.csv", statistics.stats_csv, name="stats_csv"),
    # Notifications: the inbox, settings, and the people @mentions complete to.
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.notification_read_all, name="notification_read_all"),
    path("inbox/count/", inbox.inbox_count, name="inbox_count"),
    path("inbox/<int:pk>/", inbox.notification_open, name="notification_open"),
    path("inbox/<int:pk>/read/", inbox.notification_read, name="notification_read"),
    path("inbox/settings/", inbox.notification_settings, name="notification_settings"),
    path("people/", inbox.people, name="people"),
    # Live updates: what changed since the version a page shows (204: nothing).
    path("articles/<int:pk>/changes/", live.article_changes, name="article_changes"),
    path("dashboard/changes/", live.desk_changes, name="desk_changes"),
    path("dashboard/bulk/", dashboard.dashboard_bulk, name="dashboard_bulk"),
    # Sources: URL imports on the queue, archives, uploads, protected sources, link checks.
    path("articles/import/<slug:task_id>/", sources.import_status, name="import_status"),
    path("claims/<int:claim_pk>/sources/upload/", sources.source_upload, name="source_upload"),
    path(
        "claims/<int:claim_pk>/sources/protected/",
        sources.source_protected,
        name="source_protected",
    ),
    path("sources/", sources.sources_queue, name="sources_queue"),
    path("sources/<int:evidence_pk>/stance/", sources.source_stance, name="source_stance"),
    path("sources/<int:evidence_pk>/state/", sources.archive_state, name="archive_state"),
    path("sources/<int:evidence_pk>/retry/", sources.archive_retry, name="archive_retry"),
    path("sources/<int:evidence_pk>/archive/", sources.archived_copy, name="archived_copy"),
    path(
        "sources/<int:evidence_pk>/archive/page.html",
        sources.archived_page,
        name="archived_page",
    ),
    path(
        "sources/<int:evidence_pk>/archive/record.warc.gz",
        sources.archived_record,
        name="archived_record",
    ),
    path(
        "sources/<int:evidence_pk>/archive/screenshot.png",
        sources.archived_screenshot,
        name="archived_screenshot",
    ),
    path("sources/<int:evidence_pk>/file/", sources.source_file, name="source_file"),
    path("sources/<int:evidence_pk>/thumbnail/", sources.source_thumbnail, name="source_thumbnail"),
    # Search, saved searches, similar claims and links between claims.
    path("search/", search.search_page, name="search"),
    path("search/bulk/", search.search_bulk, name="search_bulk"),
    path("search/saved/", search.saved_search_create, name="saved_search_create"),
    path(
        "search/saved/<int:pk>/delete/",
        search.saved_search_delete,
        name="saved_search_delete",
    ),
    path("claims/<int:claim_pk>/similar/", search.claim_similar, name="claim_similar"),
    path(
        "claims/<int:claim_pk>/same-as/<int:other_pk>/",
        search.claim_link,
        name="claim_link",
    ),
    path(
        "claims/<int:claim_pk>/start-from/<int:other_pk>/",
        search.claim_start_from,
        name="claim_start_from",
    ),
    # The team: invitations, roles, deactivation (admins); accepting an invitation.
    path("team/", team.team_page, name="team"),
    path("team/invitations/", team.invitation_create, name="invitation_create"),
    path("team/invitations/<int:pk>/resend/", team.invitation_resend, name="invitation_resend"),
    path("team/invitations/<int:pk>/revoke/", team.invitation_revoke, name="invitation_revoke"),
    path("team/members/<int:pk>/roles/", team.member_roles, name="member_roles"),
    path("team/members/<int:pk>/deactivate/", team.member_deactivate, name="member_deactivate"),
    path("team/members/<int:pk>/reactivate/", team.member_reactivate, name="member_reactivate"),
    path("accounts/invitation/<str:token>/", team.invitation_accept, name="invitation_accept"),
    # Public fact-check pages.
    path("factchecks/<int:claim_pk>/", public.factcheck_detail, name="factcheck_detail"),
    # The rest of the public site.
    path("factchecks/", public.factcheck_list, name="factcheck_list"),
    path("factchecks/claimants/", public.claimant_list, name="claimant_list"),
    path("factchecks/claimants/<str:slug>/", public.claimant_detail, name="claimant_detail"),
    path("factchecks/articles/<int:pk>/", public.article_public, name="article_public"),
    path("factchecks/feed/rss/", feeds.FactcheckFeed(), name="feed_rss"),
    path("factchecks/feed/atom/", feeds.AtomFactcheckFeed(), name="feed_atom"),
    path("factchecks/corrections/feed/rss/", feeds.CorrectionsFeed(), name="corrections_rss"),
    path("factchecks/corrections/feed/atom/", feeds.AtomCorrectionsFeed(), name="corrections_atom"),
    path("ratings/", public.rating_scale, name="rating_scale"),
    re_path(
        rf"^(?P<slug>{'|'.join(PublicPage.Slug.values)})/$", public.public_page, name="public_page"
    ),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", public.robots_txt, name="robots_txt"),
    path(
        "factchecks/<int:claim_pk>/changes/",
        article_edit.factcheck_changes,
        name="factcheck_changes",
    ),
]
