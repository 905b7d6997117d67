from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from annotations import importers
from annotations.models import Article
from tests.conftest import SEED_FILE, SEED_TITLE

pytestmark = pytest.mark.django_db

PUTIN_QUOTE = (
    '"Our positions do not fully coincide, but we are united by the common intention to end '
    "the violence, to stop the number of victims increasing in Syria, to resolve the problems "
    'by peaceful means, including the Geneva talks," Putin said.'
)


def test_seed_article_imports_with_title_standfirst_captions_and_body():
    article = importers.import_path(SEED_FILE).article
    assert article.title == SEED_TITLE
    assert article.standfirst.startswith("Russia said on sidelines of G-8")
    assert "Enniskillen" not in article.standfirst
    assert article.caption_lines == [
        "Obama and Putin in Enniskillen, Northern Ireland. June 17th, 2013.",
        "Obama and Putin in Enniskillen, Northern Ireland, June 17, 2013. AP",
    ]
    assert PUTIN_QUOTE in article.paragraphs
    assert "Enniskillen" not in article.body
    # The source's typos are its text.
    assert "interest instopping violence" in article.body
    assert "amoderate cleric was elected president there" in article.body
    assert article.body.startswith("U.S.President Barack Obama")
    assert "\n\n\n" not in article.body


def test_reimporting_the_same_content_creates_nothing():
    first = importers.import_path(SEED_FILE)
    second = importers.import_path(SEED_FILE)
    assert first.created and not second.created
    assert first.article.pk == second.article.pk
    assert Article.objects.count() == 1


def test_crlf_and_decomposed_text_normalize_to_the_same_article():
    text = (
        "Title line\r\n\r\nShort standfirst.\r\n\r\nCafe\u0301 paragraph one.\r\n\r\nParagraph two."
    )
    first = importers.import_text(text)
    second = importers.import_text(text.replace("\r\n", "\n").replace("e\u0301", "é"))
    assert first.article.pk == second.article.pk
    assert first.article.body == "Café paragraph one.\n\nParagraph two."


def test_markdown_title_loses_its_hash():
    result = importers.import_bytes(
        b"# A markdown story\n\nIt begins.\n\nAnd goes on at length.", filename="story.md"
    )
    assert result.article.title == "A markdown story"


def test_html_is_extracted_by_trafilatura():
    html = """<!doctype html><html><head><title>Council votes on budget</title></head><body>
    <nav>Home | News | Sport</nav>
    <article><h1>Council votes on budget</h1>
    <p>The city council voted on Tuesday to approve a budget of 4 million euros for new parks.</p>
    <p>The mayor said the plan would create two hundred jobs before the end of next year.</p>
    </article><footer>Copyright</footer></body></html>"""
    article = importers.import_bytes(html.encode(), filename="budget.html").article
    assert article.title == "Council votes on budget"
    assert "two hundred jobs" in article.body
    assert "Home | News" not in article.body
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "is empty"),
        (b"   \n\n  ", "blank.txt", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt", "binary"),
        (b"Title\n\nCaf\xe9 au lait", "latin1.txt", "byte 0xe9 at offset 10"),
        (b"<html><body><script>x()</script></body></html>", "empty.html", "No article text"),
        (b"Title only", "title.txt", "no body"),
        (b"Some text", "sheet.xlsx", "unsupported file type"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(data, filename, message):
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_bytes(data, filename=filename)
    assert message in error.value.message
    assert not Article.objects.exists()


def test_file_over_the_size_limit_is_refused(settings, tmp_path):
    settings.FACTCHECK_IMPORT_MAX_BYTES = 100
    big = tmp_path / "big.txt"
    big.write_text("Title\n\n" + "word " * 100)
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_path(big)
    assert "the limit is 100 bytes" in error.value.message
    assert not Article.objects.exists()


def test_import_command_reports_counts_and_is_idempotent(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("First story\n\nIts body is here.\n\nAnd more.")
    (tmp_path / "b.md").write_text("Second story\n\nAnother body.\n\nMore text.")
    (tmp_path / "notes.csv").write_text("ignored")
    call_command("import_articles", str(tmp_path), str(SEED_FILE))
    out = capsys.readouterr().out
    assert "3 created, 0 unchanged, 0 failed" in out
    call_command("import_articles", str(tmp_path), str(SEED_FILE))
    assert "0 created, 3 unchanged, 0 failed" in capsys.readouterr().out
    assert Article.objects.count() == 3


def test_import_command_names_each_failed_file_and_exits_non_zero(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Good story\n\nBody text.\n\nMore.")
    (tmp_path / "bad.txt").write_bytes(b"Bad\n\n\xff\xfe")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(tmp_path), str(tmp_path / "missing.txt"))
    assert error.value.returncode == 1
    captured = capsys.readouterr()
    assert "1 created, 0 unchanged, 3 failed" in captured.out
    assert "bad.txt: bad.txt is not valid UTF-8: byte 0xff at offset 5" in captured.err
    assert "empty.txt" in captured.err
    assert "missing.txt" in captured.err
    assert Article.objects.count() == 1
