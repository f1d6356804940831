"""Original article pages for the bot's end-to-end tests (written for these tests)."""

from __future__ import annotations

import html

LIBRARY_PARAGRAPHS = [
    "The town council of Elmbridge voted on Monday to keep its central library open seven days a week, "
    "reversing a plan that would have closed the building on Sundays from next spring.",
    "The decision followed a petition signed by more than four thousand residents, many of them students "
    "who said the reading rooms were the only quiet place they could work at weekends.",
    "\u201cA library that is shut when people are free is not much of a library,\u201d said Margaret Olsen, "
    "the councillor who proposed the motion.",
    "Keeping the Sunday hours will cost about ninety thousand pounds a year, which the council plans to "
    "find by sharing the building with the adult education service.",
    "Staff will be asked to volunteer for the extra shifts, and the union representing them said it "
    "welcomed the vote as long as the rota stayed voluntary.",
    "\u201cWe have been asking for proper weekend staffing for years,\u201d said Daniel Price, a senior "
    "librarian who has worked in the building since it opened.",
    "The library lends around three hundred thousand books a year and runs a homework club, a repair "
    "caf\u00e9 and free computer classes for older residents.",
    "Opposition members argued that the money would be better spent on the mobile library van that "
    "serves the villages to the north of the town.",
    "The council said it would review visitor numbers after twelve months and publish the results.",
    "Residents can comment on the new opening hours at the library desk or on the council website "
    "until the end of the month.",
]


def article_html(title: str, paragraphs: list[str], *, escape_title: bool = True) -> bytes:
    """A plain news page: headline, byline, paragraphs."""
    shown_title = html.escape(title) if escape_title else title
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{shown_title}</title></head><body><nav><a href="/">Home</a></nav>'
        f'<article><h1>{shown_title}</h1><p class="byline">By a staff reporter</p>{body}</article>'
        "<footer>Elmbridge Gazette</footer></body></html>"
    )
    return page.encode("utf-8")


def library_page() -> bytes:
    return article_html("Elmbridge library will stay open on Sundays", LIBRARY_PARAGRAPHS)


def hostile_page() -> bytes:
    """Title and quotes full of markup-like text that must reach Telegram escaped."""
    paragraphs = [
        "The <script>alert(1)</script> tag appeared in a council report about the website & its forms, "
        "which left readers confused when the page showed raw code instead of the timetable.",
        "\u201cIf you see <b>bold & <i>broken</i> tags, tell us at once\u201d said Priya Shah, who runs "
        "the council's web team & its help desk.",
        "The team said a template had copied text with unbalanced tags like <div><span> into the "
        "public pages, and that the fault was fixed within two hours of the first report.",
        "Residents who saw odd symbols such as &amp; or &lt; in the timetable were asked to refresh the "
        "page, because cached copies could still show the broken text for a day.",
        "\u201cNobody's data was exposed <really>,\u201d said Tom Reyes, the council's security adviser.",
        *LIBRARY_PARAGRAPHS[3:8],
    ]
    return article_html("Tags & <script>alert('x')</script> <b>unbalanced", paragraphs)


def long_page(target_chars: int = 40_000) -> tuple[bytes, int]:
    """A long page (about ``target_chars`` characters of text) with many quoted statements."""
    paragraphs: list[str] = []
    speakers = ["Alice Moreno", "Bilal Haddad", "Chen Wei", "Dora Novak", "Erik Lund", "Fatima Bello"]
    n = 0
    while sum(len(p) for p in paragraphs) < target_chars:
        speaker = speakers[n % len(speakers)]
        paragraphs.append(
            f"In district {n + 1}, the survey team counted {120 + 7 * n} households that had changed how "
            f"they travel to work since the new tram line opened, and most of them now leave the car at home."
        )
        paragraphs.append(
            f"\u201cThe tram has changed the way our street {n + 1} works, and the mornings are much calmer "
            f"now that fewer people drive to the station,\u201d said {speaker}, "
            f"who lives near stop number {n + 1}."
        )
        n += 1
    page = article_html("How the new tram line changed forty districts", paragraphs)
    return page, sum(len(p) for p in paragraphs)


def pasted_text() -> str:
    """A long pasted message (well above the 400-character threshold)."""
    return " ".join(LIBRARY_PARAGRAPHS[:6])


def simple_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF (Helvetica, one text line per entry) built by hand."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td"]
    text_ops.extend(f"({escape(line)}) Tj T*" for line in lines)
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_lines() -> list[str]:
    """The library story wrapped to short lines for :func:`simple_pdf`."""
    import textwrap

    lines: list[str] = []
    for paragraph in LIBRARY_PARAGRAPHS:
        plain = paragraph.replace("\u201c", '"').replace("\u201d", '"').replace("\u00e9", "e")
        lines.extend(textwrap.wrap(plain, 90))
        lines.append("")
    return lines
