"""The documents registry, and every record's citations: a known document, and (with the
documents at hand) a quote found in its text."""

from __future__ import annotations

from graphkit.data.checks.fields import did_you_mean
from graphkit.data.checks.reading import Reading, document_text, fold_whitespace
from graphkit.data.model import SOURCES_FILE
from graphkit.errors import Problem

# How many (document, quote) verdicts to remember: enough for every distinct quote of most
# datasets, not so many that a million unique quotes fill the memory.
_REMEMBERED_QUOTES = 200_000

def is_file_name(doc: str) -> bool:
    """Whether ``doc`` is a plain file name (not a path, not ``.`` or ``..``).

    >>> is_file_name("001_a.txt"), is_file_name("../../etc/passwd"), is_file_name("a/b")
    (True, False, False)
    """
    return (bool(doc) and doc not in (".", "..") and "/" not in doc and "\\" not in doc
            and "\0" not in doc)


class SourceChecks(Reading):
    def _check_sources(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "sources", document)
        self._unusable_documents = self._broken_keys(display, records, "doc")
        for index, source in self._unique(display, records, "doc", "document"):
            doc = source["doc"]
            if not is_file_name(doc):
                self.problems.append(Problem(
                    display, index, "doc",
                    f"{doc!r} is not a file name: a document is named by its file name in "
                    "the documents folder, never by a path"))
                self._unusable_documents.add(doc)
                continue
            self.dataset.sources[doc] = source
            self._check_date_fields(display, index, source)
            if self.documents is not None and self._document_text(doc) is None:
                self.problems.append(Problem(display, index, "doc",
                                             f"document {doc!r} "
                                             f"{self._unreadable.get(doc, 'not found')}"))

    def _check_citations(self, display: str, index: int, citations: list[dict]) -> bool:
        ok = True
        for position, citation in enumerate(citations):
            doc = citation["doc"]
            if doc not in self.dataset.sources:
                ok = False
                if not self._sources_read or doc in self._unusable_documents:
                    continue
                self.problems.append(Problem(
                    display, index, f"sources[{position}].doc",
                    f"unknown document {doc!r}: add it to {SOURCES_FILE}"
                    f"{did_you_mean(doc, self.dataset.sources)}"))
                continue
            if not fold_whitespace(citation["quote"]):
                ok = False
                self.problems.append(Problem(display, index, f"sources[{position}].quote",
                                             "the quote is only white space: copy the words "
                                             "that state the fact"))
                continue
            if self.documents is None:
                continue
            if not self._quote_found(doc, citation["quote"]):
                ok = False
                shown = citation["quote"] if len(citation["quote"]) <= 60 else (
                    citation["quote"][:57] + "...")
                self.problems.append(Problem(display, index, f"sources[{position}].quote",
                                             f"quote not found in {doc}: {shown!r}"))
        return ok

    def _quotes_fine(self, citations: list[dict]) -> bool:
        """Whether every quote is certainly in its document (datasets repeat quotes, so each
        is looked for once; a document that cannot be read is reported on its own)."""
        verdicts = self._quote_verdicts
        for citation in citations:
            key = (citation["doc"], citation["quote"])
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = self._quote_found(*key)
                if len(verdicts) < _REMEMBERED_QUOTES:
                    verdicts[key] = verdict
            if not verdict:
                return False
        return True

    def _quote_found(self, doc: str, quote: str) -> bool:
        text = self._document_text(doc)
        return text is None or fold_whitespace(quote) in text

    def _document_text(self, doc: str) -> str | None:
        """The text of ``doc`` (white space folded), or None, with the reason in
        ``self._unreadable[doc]``: only a UTF-8 file really inside the documents folder."""
        if doc not in self._document_texts:
            text, reason = document_text(self.documents / doc, self.documents)
            self._document_texts[doc] = text
            if reason is not None:
                self._unreadable[doc] = reason
        return self._document_texts[doc]
