"""A form that comes back with mistakes starts with a summary that takes focus and links to
every field that needs fixing; invalid choices are marked for screen readers; what was
typed stays (issue 11, item 9). The summary lives in the form macros, so every form has it."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Page(HTMLParser):
    """Every element's attributes, in order, and the ids on the page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if a.get("id")}

    def by_id(self, element_id: str) -> tuple[str, dict[str, str | None]]:
        return next((t, a) for t, a in self.elements if a.get("id") == element_id)


def _summary(text: str) -> str:
    found = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', text, re.S)
    assert found, "no error summary"
    return found[1]


def test_an_empty_question_starts_with_a_focused_summary_linking_each_field(client, youth, login):
    login(youth)
    response = client.post("/questions/ask", data={"title": "", "body": "", "topic": ""})
    assert response.status_code == 422
    page = _Page(response.text)
    summary = _summary(response.text)
    assert "Something needs fixing" in summary
    heading = re.search(r"<h2[^>]*data-error-summary[^>]*>", summary)[0]
    assert 'tabindex="-1"' in heading and "autofocus" in heading
    # The only element that asks for focus is the summary's heading.
    assert [a.get("id") for _, a in page.elements if "autofocus" in a] == ["error-summary-heading"]
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["title", "body", "topic-0"]
    assert set(targets) <= page.ids()
    assert "Your question in one line:" in summary and "What is it about?:" in summary
    # Every radio of the group that needs a choice says it is invalid.
    radios = [a for t, a in page.elements if t == "input" and a.get("name") == "topic"]
    assert radios and all(a.get("aria-invalid") == "true" for a in radios)
    assert page.by_id("title")[1].get("aria-invalid") == "true"
    # The small script that focuses the summary where autofocus is ignored is a file (CSP).
    script = re.search(r'<script src="([^"]+error-summary\.js)"', response.text)[1]
    with client.get(script) as loaded:
        assert loaded.status_code == 200 and b"focus()" in loaded.data


def test_the_summary_names_only_what_is_wrong_and_keeps_what_was_typed(client, youth, login):
    login(youth)
    typed = {
        "title": "Hi?",
        "body": "My friends want me to come but I am not sure.",
        "topic": "love",
    }
    response = client.post("/questions/ask", data=typed)
    assert response.status_code == 422
    summary = _summary(response.text)
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["title"]
    assert 'value="Hi?"' in response.text and typed["body"] in response.text
    assert re.search(r'value="love"[^>]*checked|checked[^>]*value="love"', response.text)
    radios = re.findall(r'<input[^>]*name="topic"[^>]*>', response.text)
    assert radios and not any("aria-invalid" in radio for radio in radios)


def test_a_page_without_mistakes_has_no_summary(client, youth, login):
    login(youth)
    page = client.get("/questions/ask").text
    assert "form-errors" not in page and "autofocus" not in page


def test_other_forms_get_the_summary_too(client):
    response = client.post("/sign-up", data={})
    assert response.status_code == 422
    summary = _summary(response.text)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert "pseudonym" in targets and "age_band-0" in targets
    page = _Page(response.text)
    assert set(targets) <= page.ids()
    radios = [a for t, a in page.elements if t == "input" and a.get("name") == "age_band"]
    assert radios and all(a.get("aria-invalid") == "true" for a in radios)


def test_a_whole_form_error_is_in_the_summary_without_a_link(client, youth):
    response = client.post("/log-in", data={"pseudonym": youth.pseudonym, "password": "wrong one"})
    assert response.status_code == 422
    summary = _summary(response.text)
    assert "<li>" in summary and "Something needs fixing" in summary
