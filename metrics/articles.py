"""The articles the benchmark ranges come from, named as a reader would cite them.

`title_en` is the English rendering of the title and the message id under which the
catalogs keep the title in each language (the article's own language gets its original
title back). `publisher` and `url` are empty when the copy the ranges were read from does
not give them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ROI_OF_A_SAAS_FUNNEL", "SAAS_MARKETING_METRICS", "Article"]


@dataclass(frozen=True, slots=True)
class Article:
    """A published article: its title as published and in English, language, publisher."""

    title: str
    title_en: str
    language: str
    publisher: str = ""
    url: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "title": self.title,
            "title_en": self.title_en,
            "language": self.language,
            "publisher": self.publisher,
            "url": self.url,
        }


ROI_OF_A_SAAS_FUNNEL = Article(
    title="วิธีการวัด ROI จากช่องทางการขาย SaaS ของคุณ",
    title_en="How to measure ROI from your SaaS sales funnel",
    language="th",
    publisher="side-business.com",
    url="https://side-business.com/?p=4975",
)
SAAS_MARKETING_METRICS = Article(
    title="Các số liệu tiếp thị SaaS quan trọng",
    title_en="Key SaaS marketing metrics",
    language="vi",
)
