import gzip

import pytest
from ingest.webserver import gzip_bomb

from nvo_nlp.errors import MalformedInputError, TooLargeInputError, UnsafeXmlError
from nvo_nlp.ingest.discover import SITEMAP_MAX_URLS, parse_feed, parse_sitemap

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Kretingos naujienos</title>
<language>lt</language><item><title>Šventė Kretingoje</title><link>/naujiena/1</link>
<pubDate>Tue, 30 Sep 2025 10:00:00 +0300</pubDate><author>redakcija@example.lt</author></item>
<item><title>Be nuorodos</title></item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ventas Balss</title>
<entry><title>Pasākums Ventspilī</title><link href="https://example.lv/zinas/2"/><updated>2025-09-30T08:00:00Z</updated>
<author><name>Anna Bērziņa</name></author></entry></feed>"""
NEWS = """<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.lv/z/1</loc><news:news>
 <news:publication><news:name>Kurzemnieks</news:name><news:language>lv</news:language></news:publication>
 <news:publication_date>2025-09-29T12:00:00+03:00</news:publication_date><news:title>Dome lēma</news:title></news:news></url></urlset>"""
INDEX = """<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://example.lv/s1.xml</loc></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"""


def test_discover_rss_items_with_metadata():
    [item] = parse_feed(RSS.encode(), base_url="https://example.lt/rss", source="kretinga")
    assert item.url == "https://example.lt/naujiena/1"
    assert (item.title, item.language, item.site_name) == ("Šventė Kretingoje", "lt", "Kretingos naujienos")
    assert item.published_at.isoformat() == "2025-09-30T07:00:00+00:00"


def test_discover_atom_items():
    [item] = parse_feed(ATOM.encode(), base_url="https://example.lv/atom", source="vb")
    assert (item.url, item.author, item.site_name) == ("https://example.lv/zinas/2", "Anna Bērziņa", "Ventas Balss")


def test_discover_google_news_sitemap():
    [item], children = parse_sitemap(NEWS.encode(), base_url="https://example.lv/news.xml", source="k")
    assert children == []
    assert (item.title, item.language, item.site_name) == ("Dome lēma", "lv", "Kurzemnieks")
    assert item.published_at.isoformat() == "2025-09-29T09:00:00+00:00"


def test_discover_sitemap_index_lists_children():
    items, children = parse_sitemap(INDEX.encode(), base_url="https://example.lv/index.xml", source="k")
    assert items == [] and children == ["https://example.lv/s1.xml", "https://example.lv/s2.xml"]


@pytest.mark.parametrize("parse", [parse_feed, lambda b, **k: parse_sitemap(b, **k)])
def test_discover_malformed_xml_is_an_input_error(parse):
    with pytest.raises(MalformedInputError):
        parse(b"<rss><channel><item><title>broken", base_url="https://example.lt/", source="x")


def test_discover_gzipped_sitemap_is_read():
    [item], _ = parse_sitemap(gzip.compress(NEWS.encode()), base_url="https://example.lv/news.xml.gz", source="k")
    assert item.url == "https://example.lv/z/1"


ENTITY_FEED = """<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE rss [<!ENTITY name "Kretingos naujienos">]>
<rss version="2.0"><channel><title>&name;</title><item><link>https://example.lt/1</link></item></channel></rss>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "windows-1257"])
def test_discover_feed_declaring_entities_is_unsafe_in_any_encoding(encoding):
    body = ENTITY_FEED.format(encoding=encoding).encode(encoding)
    with pytest.raises(UnsafeXmlError, match="declares XML entities"):
        parse_feed(body, base_url="https://example.lt/rss", source="x")


def test_discover_feed_with_a_plain_doctype_is_read():
    doctype = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    [item] = parse_feed(RSS.replace("?>", "?>" + doctype, 1).encode(), base_url="https://example.lt/rss", source="x")
    assert item.title == "Šventė Kretingoje"


def test_discover_feed_body_naming_a_local_file_is_not_read(tmp_path):
    local = tmp_path / "feed.xml"
    local.write_text(RSS, encoding="utf-8")
    with pytest.raises(MalformedInputError):
        parse_feed(str(local).encode(), base_url="https://example.lt/rss", source="x")


def test_discover_sitemap_declaring_entities_is_unsafe():
    body = NEWS.replace("<urlset", '<!DOCTYPE urlset [<!ENTITY t "Dome">]><urlset', 1).replace("Dome lēma", "&t;")
    with pytest.raises(UnsafeXmlError):
        parse_sitemap(body.encode(), base_url="https://example.lv/", source="k")


def test_discover_sitemap_over_the_protocol_url_limit_is_too_large():
    entries = "<url><loc>/a</loc></url>" * (SITEMAP_MAX_URLS + 1)
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    with pytest.raises(TooLargeInputError, match="50000 URLs"):
        parse_sitemap(body, base_url="https://example.lv/", source="k")


def test_discover_gzipped_sitemap_inflating_past_max_bytes_is_too_large():
    head = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    bomb = gzip_bomb(8 << 20, head=head, fill=b" ", tail=b"</urlset>")
    with pytest.raises(TooLargeInputError, match="over 1000000 bytes"):
        parse_sitemap(bomb, base_url="https://example.lv/", source="k", max_bytes=1_000_000)


def test_discover_corrupt_gzip_sitemap_is_malformed():
    with pytest.raises(MalformedInputError, match="gzip"):
        parse_sitemap(gzip.compress(NEWS.encode())[:-20], base_url="https://example.lv/", source="k")
