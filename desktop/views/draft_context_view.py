"""The left side of the answer editor: the message, the curator's remarks on the returned
draft (and his edits as a diff), the department's earlier answers on the same topic and place,
and the parts other departments sent for a consolidated answer."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTabWidget, QTextBrowser, QWidget

from desktop.services.draft_context import EditorContext
from desktop.views.approval_dialogs import diff_html


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def message_html(context: EditorContext) -> str:
    m = context.message
    facts = [
        f"<b>№ {m.number}</b> · {escape(m.network_title)}",
        f"Автор: {escape(m.author_name) or '—'}",
    ]
    if m.topic or m.location:
        facts.append(f"{escape(m.topic)} · {escape(m.location)}".strip(" ·"))
    if m.answer_due_text:
        facts.append(f"Срок ответа: <b>{escape(m.answer_due_text)}</b>")
    link = f'<a href="{escape(m.link)}">{escape(m.link)}</a>' if m.link else ""
    return (
        "<br>".join(facts)
        + (f"<br>{link}" if link else "")
        + f"<hr><div style='font-size:11pt'>{_paragraphs(m.text)}</div>"
    )


def remarks_html(context: EditorContext) -> str:
    parts = []
    returned = context.returned
    if returned is not None:
        parts.append(f"<b>Возвращённая редакция № {returned.number}</b>")
        for note in returned.reviews:
            reasons = "; ".join(note.reason_titles)
            parts.append(
                f"<p>{escape(note.reviewer)}, {escape(note.decided_text)}: "
                f"<b>{escape(reasons)}</b>"
                + (f"<br>«{_paragraphs(note.comment)}»" if note.comment else "")
                + "</p>"
            )
        parts.append(f"<div style='color:#555'>{_paragraphs(returned.text)}</div>")
    edit = context.curator_edit
    if edit is not None:
        parts.append(
            f"<hr><b>Правки куратора</b> ({escape(edit.edited_by)}, {escape(edit.edited_at_text)})"
            f"<p>{diff_html(edit.diff)}</p>"
        )
    return "".join(parts)


def earlier_html(context: EditorContext) -> str:
    return "".join(
        f"<p><b>№ {a.number}</b>, {escape(a.answered_text)}"
        f"{'' if a.published else ' (не размещён)'}<br>{_paragraphs(a.text)}</p>"
        for a in context.earlier_answers
    )


def parts_html(context: EditorContext) -> str:
    return "".join(
        f"<p><b>{escape(p.department)}</b> ({escape(p.author)}, {escape(p.submitted_text)})<br>"
        f"{_paragraphs(p.text)}</p>"
        for p in context.parts
    )


def _browser(html: str, parent: QWidget) -> QTextBrowser:
    browser = QTextBrowser(parent)
    browser.setOpenExternalLinks(True)
    browser.setHtml(html)
    return browser


def context_tabs(context: EditorContext, parent: QWidget) -> QTabWidget:
    tabs = QTabWidget(parent)
    tabs.addTab(_browser(message_html(context), tabs), "Сообщение")
    remarks = remarks_html(context)
    if remarks:
        tabs.addTab(_browser(remarks, tabs), "Замечания")
        tabs.setCurrentIndex(1)  # a rework starts from what the curator said
    count = len(context.earlier_answers)
    earlier = earlier_html(context) or "Отдел ещё не отвечал на такие сообщения здесь."
    tabs.addTab(_browser(earlier, tabs), f"Ранее отвечали ({count})")
    if context.parts:
        tabs.addTab(_browser(parts_html(context), tabs), f"Части отделов ({len(context.parts)})")
    return tabs
