"""The campaign's sources are primary or scholarly, over https, at their publishers' own addresses.

No plain http; no mirrors of other sites (Wikipedia copies, CRS reports re-hosted), aggregators, content
farms or personal blogs; no retired domains. Wikipedia is at most 5% of a file's URLs and never the only
source of a figure. Run one file: `pytest tests/campaign/test_source_quality.py -k <scenario id>`.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from campaign_texts import figure_in, player_texts, shipped

from game.scenario.models import Scenario, Source

# Hosts (a suffix matches its subdomains too) and host/path prefixes, each with why it is refused.
REFUSED = {
    # copies of Wikipedia or of other publishers' documents
    "wikisum.wiki": "a Wikipedia mirror", "piglix.com": "a Wikipedia mirror", "profilbaru.com": "a Wikipedia mirror",
    "liquisearch.com": "a Wikipedia mirror", "wikiwand.com": "a Wikipedia mirror", "wikizero.com": "a Wikipedia mirror",
    "dbpedia.org": "a Wikipedia mirror", "everybodywiki.com": "a wiki mirror", "issuhub.com": "a document mirror",
    "fas.org/sgp/crs": "a mirror of CRS reports (cite congress.gov)", "everycrsreport.com": "a mirror of CRS reports",
    # aggregators
    "books.google": "a book aggregator (cite the book)", "scribd.com": "a document aggregator",
    "issuu.com": "a document aggregator", "yahoo.com": "a news aggregator", "msn.com": "a news aggregator",
    # content farms, personal sites and blogs
    "blogspot.com": "a blog", "hatenablog.com": "a blog", "weebly.com": "a personal site",
    "fc2web.com": "a personal site",
    "wordpress.com": "a blog", "medium.com": "a blog platform", "quora.com": "a question site",
    "answers.com": "a content farm", "ezinearticles.com": "a content farm", "hubpages.com": "a content farm",
    "kids.britannica.com": "a children's encyclopedia", "study.com": "a content farm",
    # retired domains
    "pacom.mil": "retired (U.S. Indo-Pacific Command is at pacom.mil's successor, indopacom.mil)",
    "articles.orlandosentinel.com": "a retired archive domain", "articles.latimes.com": "a retired archive domain",
    "articles.chicagotribune.com": "a retired archive domain", "worldjpn.grips.ac.jp": "moved to worldjpn.net",
}
WIKIPEDIA_SHARE = 0.05
SHIPPED = shipped()


def refusal(url: str) -> str | None:
    """Why `url` is not an acceptable source, or None."""
    parts = urlparse(url)
    if parts.scheme != "https":
        return "not https"
    host = (parts.hostname or "").removeprefix("www.")
    where = host + parts.path
    for pattern, why in REFUSED.items():
        if "/" in pattern:
            if where.startswith(pattern):
                return why
        elif host == pattern or host.endswith("." + pattern) or host.startswith(pattern + "."):
            return why
    return None


def is_wikipedia(source: Source) -> bool:
    return (urlparse(source.url or "").hostname or "").endswith("wikipedia.org")


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://www.mofa.go.jp/region/n-america/us/q&a/ref/1.html", True),
        ("https://www.mofa.go.jp/region/n-america/us/q&a/ref/1.html", False),
        ("https://history.state.gov/historicaldocuments/frus1951v06p1", False),
        ("https://38is.blogspot.com/2017/08/a.html", True),
        ("https://books.google.co.kr/books?id=abc", True),
        ("https://fas.org/sgp/crs/row/RL33436.pdf", True),
        ("https://www.pacom.mil/Media/News/", True),
        ("https://en.wikipedia.org/wiki/Treaty_of_San_Francisco", False),  # allowed, within its share
    ],
)
def test_refusal(url: str, refused: bool) -> None:
    assert (refusal(url) is not None) == refused


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_sources_are_primary_or_scholarly(scenario: Scenario) -> None:
    bad = [f"{s.id}: {s.url} — {why}" for s in scenario.sources if s.url and (why := refusal(s.url))]
    unlinked = [f"{s.id}: no url" for s in scenario.sources if not s.url]
    assert not bad + unlinked, f"{scenario.id}:\n" + "\n".join(bad + unlinked)


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_wikipedia_is_rare_and_never_alone_for_a_figure(scenario: Scenario) -> None:
    urls = [s for s in scenario.sources if s.url]
    wiki = {s.id for s in urls if is_wikipedia(s)}
    assert len(wiki) <= WIKIPEDIA_SHARE * len(urls), (
        f"{scenario.id}: {len(wiki)} of {len(urls)} URLs are Wikipedia (at most {WIKIPEDIA_SHARE:.0%}): {sorted(wiki)}"
    )
    alone = [
        f"{item.where}: '{figure}' cites only {list(item.sources)}"
        for item in player_texts(scenario)
        if item.sources and set(item.sources) <= wiki and (figure := figure_in(item.english))
    ]
    assert not alone, f"{scenario.id}: figures backed by Wikipedia alone:\n" + "\n".join(alone)
