"""Throughput benchmark: documents per second per core, PDF pages per second,
peak RSS per worker and the 1-worker vs 2-worker speed-up.

    .venv/bin/python scripts/benchmark.py                      # all formats, 1 and 2 workers
    .venv/bin/python scripts/benchmark.py --n 400 --formats html
    .venv/bin/python scripts/benchmark.py --n 0 --long 100000  # only RSS over a long run (one worker)

It builds its own corpus in a temporary folder (invented text in the shapes of
samples/: ~100 KB HTML press releases wrapped in real-looking site chrome,
newsletter emails with and without a PDF attachment, multi-page PDF agreements
with two-column pages, ruled tables and running heads, plain-text web copies),
then runs every document end to end the way `agreements run` does: read
(ingest.read, language included), extraction, the JSON result written
atomically, and the registry load (SQLite). It calls the library directly, so
it does not depend on the batch runner.

Workers are fresh processes (spawn, so each one's peak RSS is its own):
`--workers 1` is one worker process running the loop, `--workers 2` two of
them pulling documents from one queue. By default every worker has its own
registry connection to one shared SQLite file (WAL; writers queue on its
lock), as concurrent `agreements run` loaders would; `--registry per-worker`
gives each worker its own file. Model loading and a few documents of every
kind are done before the clock starts (a batch pays for them once).
`--long N` runs N new small documents through one worker and prints its RSS
every `--every` documents. Building the PDFs needs reportlab (test extras).
"""

from __future__ import annotations

import argparse
import gc
import io
import multiprocessing as mp
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FORMATS = ("html", "email", "pdf", "text")

# --- invented text, per language ---------------------------------------------

LANGS = {
    "sv": dict(
        munis=["Norrvik", "Älvsby", "Sjöholm", "Bergsjö", "Storvik", "Ekeby", "Lindås", "Högsby"],
        muni="{} kommun", orgs=["Kvinnojouren i {}", "Brottsofferjouren {}", "Föreningen Trygga {}", "Fritidsbanken {}",
                                 "Idrottsalliansen i {}", "Stödcentrum {}"],
        people=[("Anna", "Lindqvist"), ("Per", "Nyström"), ("Karin", "Ek"), ("Johan", "Berg"), ("Sara", "Holm")],
        roles=["ordförande i socialnämnden", "förvaltningschef", "kommunikatör", "verksamhetschef"],
        title="{muni} tecknar IOP med {org}",
        lead="Socialnämnden i {muni} har beslutat att ingå ett idéburet offentligt partnerskap, IOP, med {org}. "
             "Överenskommelsen gäller från den {start} till den {end}.",
        money="Genom partnerskapet bidrar kommunen med {amount} kronor per år till verksamheten för våldsutsatta "
              "kvinnor och barn. {org} bidrar med ideella krafter, kunskap och ett eget kontaktnät.",
        quote="– Jouren gör ett ovärderligt arbete, och med ett långsiktigt partnerskap får den bättre "
              "förutsättningar att planera, säger {person}, {role}.",
        review="Partnerskapet ska utvärderas årligen, och parterna träffas varje kvartal för att följa upp verksamheten.",
        contact="Kontakt", phone_label="Telefon", mail_label="E-post", published="Publicerad",
        months=["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                "november", "december"], date_fmt="{d} {m} {y}",
        filler=[
            "Verksamheten riktar sig till personer som utsatts för våld i nära relationer och till deras barn.",
            "Under det senaste året tog föreningen emot fler samtal än någonsin tidigare.",
            "Kommunen och föreningen har samarbetat i olika former sedan början av 2000-talet.",
            "Partnerskapet bygger på att båda parter bidrar med resurser och kunskap.",
            "Arbetet följs upp med statistik över antalet stödsamtal, skyddade boenden och informationsinsatser.",
            "Föreningen har ett trettiotal aktiva volontärer som har fått utbildning i stödsamtal.",
            "Socialförvaltningen ansvarar för uppföljningen och redovisar resultatet för nämnden varje höst.",
            "Syftet är att ge ett långsiktigt och förutsägbart stöd i stället för årliga bidragsansökningar.",
            "Insatserna ska vara tillgängliga för alla oavsett ålder, bakgrund eller funktionsförmåga.",
            "Informationen om stödet ska spridas via skolor, vårdcentraler och kommunens kontaktcenter.",
        ],
        menu="Omsorg och stöd|Förskola och skola|Kultur och fritid|Kommun och politik|Bygga och bo|Trafik och "
             "gator|Miljö och hälsa|Näringsliv och arbete|Äldreomsorg|Funktionsnedsättning|Ekonomiskt bistånd|"
             "Bibliotek|Idrott och motion|Evenemang|Parker och natur|Avfall och återvinning|Lediga jobb|"
             "Kontakta oss|Nyheter|Press|Så styrs kommunen|Protokoll|Synpunkter och klagomål|Översiktsplan",
        cookie="Vi använder kakor för att webbplatsen ska fungera och för att förbättra din upplevelse.",
        related="Fler nyheter", news=["Nya öppettider på biblioteken", "Vägarbete på Södra Esplanaden",
                                      "Sommarlovsaktiviteter för unga", "Ny förskola invigd", "Budget för nästa år"],
        footer="Kommunens växel", page="Sida", newsletter="Prenumerera på nyhetsbrevet",
        pdf_title="Överenskommelse om idéburet offentligt partnerskap mellan {muni} och {org}",
        sections=["Parter", "Syfte", "Avtalstid", "Ersättning", "Uppföljning", "Uppsägning", "Tvister",
                  "Ändringar", "Underskrifter"],
        period="Överenskommelsen gäller från och med den {start} till och med den {end}.",
        pay="Kommunen bidrar med {amount} kronor per år. Beloppet betalas ut kvartalsvis i förskott.",
        table=["Insats", "Ansvarig", "Belopp (kr)", "Uppföljning"],
    ),
    "da": dict(
        munis=["Nordby", "Skovlunde", "Havnsø", "Egebjerg", "Lystrup", "Sønderby", "Bakkegård"],
        muni="{} Kommune", orgs=["Frivilligcenter {}", "Krisecenter {}", "Foreningen Tryg {}", "Idrætsrådet i {}",
                                  "Kvindehjemmet {}"],
        people=[("Mette", "Holm"), ("Lasse", "Frimand"), ("Jens", "Kjær"), ("Hanne", "Lund"), ("Søren", "Bech")],
        roles=["formand for Socialudvalget", "rådmand", "centerchef", "kommunaldirektør"],
        title="Ny samarbejdsaftale med {org}",
        lead="{muni} og {org} har underskrevet en ny samarbejdsaftale, der gælder fra {start} til {end}.",
        money="{org} får et årligt tilskud på {amount} kr. til at understøtte de frivillige foreninger i kommunen "
              "og drive Frivillighedens Hus.",
        quote="– Centret er bindeleddet mellem kommunen og de mange foreninger, siger {person}, {role}.",
        review="Aftalen revideres hvert år i forbindelse med budgetlægningen, og parterne mødes to gange om året.",
        contact="Kontakt", phone_label="Tlf.", mail_label="E-mail", published="Publiceret",
        months=["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
                "november", "december"], date_fmt="{d}. {m} {y}",
        filler=[
            "Centret rådgiver foreninger om alt fra vedtægter og økonomi til rekruttering af nye frivillige.",
            "Sidste år deltog flere end tusind borgere i centrets aktiviteter og kurser.",
            "Aftalen bygger videre på et samarbejde, som har eksisteret i mere end ti år.",
            "Kommunen ønsker at styrke det frivillige arbejde i alle dele af kommunen.",
            "Der bliver lagt særlig vægt på at nå unge og borgere, som ikke i forvejen er aktive i foreningslivet.",
            "Centret udarbejder hvert år en rapport om aktiviteter, resultater og økonomi.",
            "Tilskuddet udbetales kvartalsvis og reguleres med den kommunale pris- og lønfremskrivning.",
            "Foreningerne kan låne lokaler og udstyr i Frivillighedens Hus uden beregning.",
            "Aftalen indeholder også mål for samarbejdet med skoler, plejecentre og biblioteker.",
            "Udvalget vil følge op på aftalen på et møde i efteråret.",
        ],
        menu="Borger|Erhverv|Politik|Job|Kontakt|Affald og genbrug|Børn og unge|Skole og uddannelse|Sundhed|"
             "Ældre|Handicap|Byggeri|Veje og trafik|Natur og miljø|Kultur og fritid|Biblioteker|Idræt|"
             "Dagsordener og referater|Byråd|Udvalg|Høringer|Nyheder|Presse|Selvbetjening",
        cookie="Vi bruger cookies for at forbedre din oplevelse af hjemmesiden.",
        related="Flere nyheder", news=["Nye åbningstider på borgerservice", "Vejarbejde på Østergade",
                                       "Sommerferieaktiviteter for børn", "Ny daginstitution indviet", "Budget 2026 vedtaget"],
        footer="Borgerservice", page="Side", newsletter="Tilmeld dig nyhedsbrevet",
        pdf_title="Samarbejdsaftale mellem {muni} og {org}",
        sections=["Parter", "Formål", "Aftaleperiode", "Tilskud", "Opfølgning", "Opsigelse", "Tvister",
                  "Ændringer", "Underskrifter"],
        period="Aftalen gælder for perioden {start} til {end}.",
        pay="{muni} yder et årligt tilskud på {amount} kr. Tilskuddet udbetales kvartalsvis forud.",
        table=["Indsats", "Ansvarlig", "Beløb (kr.)", "Opfølgning"],
    ),
    "nb": dict(
        munis=["Nordvik", "Fjellstad", "Elvenes", "Sjøvik", "Skogheim", "Bergeby", "Holmestrand Øst"],
        muni="{} kommune", orgs=["Stiftelsen {} Krisesenter", "{} frivilligsentral", "{} idrettsråd",
                                  "Foreningen Trygge {}", "Kirkens Bymisjon {}"],
        people=[("Kari", "Nilsen"), ("Ola", "Berg"), ("Silje", "Hansen"), ("Trond", "Aas"), ("Ingrid", "Moe")],
        roles=["ordfører", "kommunalsjef for kultur og frivillighet", "rådgiver", "kommunedirektør"],
        title="Ny driftsavtale med {org}",
        lead="Bystyret i {muni} har godkjent en ny driftsavtale med {org} for perioden {start} til {end}.",
        money="Stiftelsen får et årlig driftstilskudd på {amount} kroner, som justeres med kommunal deflator hvert år.",
        quote="– Tilbudet er svært viktig for mange innbyggere, og vi er glade for at driften er sikret, sier {person}, {role}.",
        review="Avtalen evalueres årlig, og partene kan si den opp med seks måneders varsel.",
        contact="For mer informasjon", phone_label="Tlf.", mail_label="E-post", published="Publisert",
        months=["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
                "november", "desember"], date_fmt="{d}. {m} {y}",
        filler=[
            "Senteret gir råd, støtte og et trygt botilbud til kvinner, menn og barn som er utsatt for vold.",
            "I fjor hadde senteret over to hundre beboere og flere tusen telefonsamtaler.",
            "Kommunen har samarbeidet med stiftelsen i mer enn femten år.",
            "Avtalen skal gi forutsigbarhet for både ansatte og brukere av tilbudet.",
            "Tilbudet skal være tilgjengelig hele døgnet, hele året.",
            "Stiftelsen rapporterer hvert år om aktivitet, økonomi og måloppnåelse.",
            "Det legges vekt på samarbeid med barnevern, politi og helsetjenester.",
            "Nabokommunene kjøper plasser etter en egen fordelingsnøkkel.",
            "Partene skal møtes minst to ganger i året for å følge opp avtalen.",
            "Saken ble behandlet i formannskapet før den gikk videre til bystyret.",
        ],
        menu="Tjenester|Politikk og innsyn|Om kommunen|Aktuelt|Barnehage|Skole|Helse og omsorg|Bolig|"
             "Plan og bygg|Vann og avløp|Renovasjon|Kultur|Idrett og friluftsliv|Bibliotek|Næring|Jobb i kommunen|"
             "Postliste|Møtekalender|Politiske saker|Kontakt oss|Presse|Nyheter|Skjema|Søknader",
        cookie="Vi bruker informasjonskapsler for å gi deg en bedre opplevelse av nettstedet.",
        related="Flere nyheter", news=["Nye åpningstider på biblioteket", "Veiarbeid i Storgata",
                                       "Sommeraktiviteter for barn", "Ny barnehage åpnet", "Budsjett for neste år"],
        footer="Sentralbord", page="Side", newsletter="Abonner på nyhetsbrevet",
        pdf_title="Driftsavtale mellom {muni} og {org}",
        sections=["Parter", "Formål", "Avtaleperiode", "Tilskudd", "Oppfølging", "Oppsigelse", "Tvister",
                  "Endringer", "Underskrifter"],
        period="Avtalen gjelder for perioden {start} til {end}.",
        pay="Kommunen gir et årlig driftstilskudd på {amount} kroner, utbetalt kvartalsvis.",
        table=["Tiltak", "Ansvarlig", "Beløp (kr)", "Oppfølging"],
    ),
    "nn": dict(
        munis=["Fjordheim", "Dalsvik", "Nesbø", "Lidal", "Haugsund", "Eidsvåg"],
        muni="{} herad", orgs=["{} idrettsråd", "{} frivilligsentral", "Ungdomslaget {}", "Kulturhuset {}"],
        people=[("Ingrid", "Vangsnes"), ("Olav", "Bø"), ("Synnøve", "Lie"), ("Arne", "Tveit")],
        roles=["leiar i idrettsrådet", "ordførar", "kultursjef", "rådgjevar"],
        title="{org} og {muni} har underteikna samarbeidsavtale",
        lead="{muni} og {org} har skrive under ein ny samarbeidsavtale som gjeld frå {start} og fram til {end}.",
        money="Heradet gjev eit årleg tilskot på {amount} kroner til {org}, som fordeler midlane vidare til barne- og "
              "ungdomsarbeidet.",
        quote="« Dette gjev laga ein føreseieleg kvardag, og det er vi svært glade for, » seier {person}, {role}.",
        review="Partane skal møtast to gonger i året, og avtalen skal evaluerast kvart år.",
        contact="Kontaktperson", phone_label="tlf.", mail_label="e-post", published="Publisert",
        months=["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
                "november", "desember"], date_fmt="{d}. {m} {y}",
        filler=[
            "Avtalen skal styrkje samarbeidet mellom heradet og dei frivillige laga i bygda.",
            "Idrettsrådet har i dag over førti medlemslag med til saman fleire tusen medlemer.",
            "Midlane skal mellom anna gå til utstyr, kurs for trenarar og drift av anlegg.",
            "Heradet og rådet har hatt eit godt samarbeid i mange år.",
            "Det er viktig at alle born og unge får høve til å delta i fritidsaktivitetar.",
            "Rådet skal kvart år leggje fram ein rapport om korleis midlane er nytta.",
            "Avtalen vart handsama i kommunestyret før sommaren.",
            "Partane skal saman vurdere behovet for nye anlegg i heradet.",
            "Laga kan søkje om ekstra løyving til særskilde tiltak.",
            "Kulturkontoret er kontaktpunkt for laga gjennom heile året.",
        ],
        menu="Framside|Tenester|Politikk|Kontakt oss|Barnehage|Skule|Helse og omsorg|Bustad|Plan og bygg|"
             "Vatn og avlaup|Renovasjon|Kultur|Idrett og friluftsliv|Bibliotek|Næring|Ledige stillingar|"
             "Postliste|Møtekalender|Politiske saker|Presse|Nyheiter|Skjema|Søknader|Om heradet",
        cookie="Vi nyttar informasjonskapslar for å gje deg ei betre oppleving av nettstaden.",
        related="Fleire nyheiter", news=["Nye opningstider på biblioteket", "Vegarbeid i sentrum",
                                         "Sommaraktivitetar for born", "Ny barnehage opna", "Budsjett for neste år"],
        footer="Sentralbord", page="Side", newsletter="Abonner på nyheitsbrevet",
        pdf_title="Samarbeidsavtale mellom {muni} og {org}",
        sections=["Partar", "Føremål", "Avtaleperiode", "Tilskot", "Oppfølging", "Oppseiing", "Tvistar",
                  "Endringar", "Underskrifter"],
        period="Avtalen gjeld frå {start} til {end}.",
        pay="Heradet gjev eit årleg tilskot på {amount} kroner, utbetalt kvart kvartal.",
        table=["Tiltak", "Ansvarleg", "Beløp (kr)", "Oppfølging"],
    ),
    "en": dict(
        munis=["Northbridge", "Eastwick", "Millford", "Ashby", "Kingsmoor", "Riverton"],
        muni="{} City Council", orgs=["{} Women's Aid", "{} Refuge Trust", "{} Community Foundation",
                                       "{} Youth Partnership", "Safe Homes {}"],
        people=[("Maria", "Owens"), ("Tom", "Hale"), ("Priya", "Shah"), ("David", "Marsh"), ("Helen", "Cole")],
        roles=["cabinet member for communities", "press officer", "director of adult services", "council leader"],
        title="Refuge funding secured for {org}",
        lead="{muni} has agreed a grant to {org} to run refuge accommodation. The grant runs from {start} to {end}.",
        money="The council will provide £{amount} a year to {org} for refuge places, outreach and children's support.",
        quote="\"Refuges save lives. This agreement gives the service the certainty it needs,\" said {person}, {role}.",
        review="The agreement will be reviewed every year and either party may end it with six months' notice.",
        contact="Media enquiries", phone_label="Tel", mail_label="Email", published="Published",
        months=["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"], date_fmt="{d} {m} {y}",
        filler=[
            "The service supports women and children fleeing domestic abuse across the district.",
            "Last year the refuge helped more than two hundred families find a safe place to stay.",
            "The council has worked with the charity for over a decade.",
            "The funding replaces a series of one-year grants with a single multi-year agreement.",
            "Outcomes will be reported to the communities scrutiny committee twice a year.",
            "The charity also runs a helpline and drop-in sessions in three libraries.",
            "Partners include the police, health services and local housing associations.",
            "A new specialist worker will support children who have witnessed abuse.",
            "The decision was taken at the cabinet meeting following a public consultation.",
            "Residents who need help can contact the service at any time of day or night.",
        ],
        menu="Council tax|Bins and recycling|Housing|Schools and learning|Social care|Parking|Planning|"
             "Libraries|Leisure and culture|Parks|Roads and transport|Business|Jobs|Councillors|Meetings|"
             "Budgets and spending|News|Press office|Contact us|Report it|Apply for it|Pay for it|Consultations|"
             "Births, deaths and marriages",
        cookie="We use cookies to make this website work and to improve your experience.",
        related="More news", news=["New library opening hours", "Roadworks on High Street",
                                   "Summer activities for young people", "New primary school opens", "Budget set"],
        footer="Customer services", page="Page", newsletter="Sign up to our newsletter",
        pdf_title="Grant agreement between {muni} and {org}",
        sections=["Parties", "Purpose", "Term", "Funding", "Monitoring", "Termination", "Disputes", "Variations",
                  "Signatures"],
        period="This agreement runs from {start} to {end}.",
        pay="The Council will pay a grant of £{amount} a year in quarterly instalments.",
        table=["Activity", "Lead", "Amount (£)", "Review"],
    ),
}


@dataclass
class Story:
    lang: str
    muni: str
    org: str
    title: str
    paragraphs: list[str]
    contact: list[str]
    published: date
    domain: str
    person: str


def _fmt_date(t: dict, d: date) -> str:
    return t["date_fmt"].format(d=d.day, m=t["months"][d.month - 1], y=d.year)


def _amount(rng: random.Random, lang: str) -> str:
    value = rng.randrange(50, 5000) * 1000
    if lang == "en":
        return f"{value:,}"
    sep = "." if lang == "da" else " "
    return f"{value:,}".replace(",", sep)


def story(rng: random.Random, lang: str, extra: int = 6, town: str | None = None) -> Story:
    t = LANGS[lang]
    town = town or rng.choice(t["munis"])
    muni = t["muni"].format(town)
    org = rng.choice(t["orgs"]).format(town)
    first, last = rng.choice(t["people"])
    person = f"{first} {last}"
    role = rng.choice(t["roles"])
    domain = town.lower().replace(" ", "").translate(str.maketrans("æøåäöé", "aoaaoe")) + ".example.org"
    start = date(rng.randrange(2025, 2028), rng.choice([1, 4, 7]), 1)
    end = date(start.year + rng.randrange(1, 4), start.month, 1) - timedelta(days=1)
    published = start - timedelta(days=rng.randrange(20, 120))
    slots = dict(muni=muni, org=org, person=person, role=role, amount=_amount(rng, lang),
                 start=_fmt_date(t, start), end=_fmt_date(t, end))
    paragraphs = [t["lead"].format(**slots), t["money"].format(**slots)]
    filler = list(t["filler"])
    rng.shuffle(filler)
    for i in range(extra):
        paragraphs.append(" ".join(filler[(i * 3 + k) % len(filler)] for k in range(3)))
        if i == 1:
            paragraphs.append(t["quote"].format(**slots))
    paragraphs.append(t["review"])
    phone = " ".join(str(rng.randrange(10, 99)) for _ in range(4))
    email = f"{first.lower()}.{last.lower()}@{domain}".translate(str.maketrans("æøåäöé", "aoaaoe"))
    contact = [f"{person}, {role}", f"{t['phone_label']} {phone}", f"{t['mail_label']}: {email}"]
    return Story(lang, muni, org, t["title"].format(**slots), paragraphs, contact, published, domain, person)


# --- HTML: a press release inside ~100 KB of site chrome ---------------------

_CSS_PROPS = ["margin", "padding", "color", "background", "font-size", "line-height", "border", "display", "width",
              "max-width", "flex", "grid-template-columns", "transition", "box-shadow", "text-transform"]


def _css(rng: random.Random, rules: int) -> str:
    out = []
    for i in range(rules):
        sel = rng.choice([".c-{}", ".site-header__{}", ".mega-menu__{}", ".card--{}", "#region-{}", ".u-{}"]).format(
            rng.choice(["item", "link", "list", "title", "media", "body", "grid", "col", "btn"]) + str(i))
        decls = ";".join(f"{rng.choice(_CSS_PROPS)}:{rng.randrange(0, 40)}px" for _ in range(rng.randrange(3, 8)))
        out.append(f"{sel}{{{decls}}}")
    return "\n".join(out)


def _js(rng: random.Random, functions: int) -> str:
    out = ["window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());"]
    for i in range(functions):
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        out.append(f"function {name}{i}(e,t){{var n=document.querySelectorAll('[data-{name}]');for(var r=0;r<n.length;"
                   f"r++){{n[r].addEventListener('click',function(o){{o.preventDefault();t&&t(o,{i})}})}}"
                   f"return e&&e.length>{i}?e.slice(0,{i}):null}}")
    return "\n".join(out)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def html_page(rng: random.Random, lang: str, target: int = 100_000) -> str:
    t = LANGS[lang]
    s = story(rng, lang, extra=10)
    menu = t["menu"].split("|")
    pub = s.published
    head = [
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(s.title)} - {_esc(s.muni)}</title>",
        f'<meta property="og:title" content="{_esc(s.title)}">',
        f'<meta property="og:site_name" content="{_esc(s.muni)}">',
        f'<meta property="og:url" content="https://www.{s.domain}/nyheter/{pub.isoformat()}-{rng.randrange(10**6)}">',
        f'<meta property="article:published_time" content="{pub.isoformat()}T09:30:00+02:00">',
        f'<meta name="description" content="{_esc(s.paragraphs[0][:150])}">',
        f'<link rel="canonical" href="https://www.{s.domain}/nyheter/{pub.isoformat()}">',
        *[f'<link rel="stylesheet" href="/static/css/bundle.{i}.{rng.randrange(10**8):08x}.css">' for i in range(4)],
        *[f'<link rel="preload" as="font" href="/fonts/site-{w}.woff2" crossorigin>' for w in (300, 400, 600, 700)],
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{_esc(s.title)}","datePublished":"{pub.isoformat()}"}}</script>',
        f"<style>{_css(rng, 230)}</style>",
        f"<script>{_js(rng, 70)}</script>",
        "</head>",
    ]
    body = ['<body class="page page--news">',
            f'<div class="cookie-banner" role="dialog"><p>{_esc(t["cookie"])}</p><button>OK</button>'
            '<button>Innstillinger</button></div>',
            '<a class="skip-link" href="#main">Skip</a>',
            '<header class="site-header"><a class="logo" href="/"><img src="/logo.svg" alt="logo"></a>',
            '<form class="search" role="search"><input type="search" name="q"><button>Søk</button></form>',
            '<nav class="mega-menu" aria-label="Hovedmeny"><ul class="mega-menu__list">']
    for sec in range(8):
        body.append(f'<li class="mega-menu__item"><a href="/s{sec}">{_esc(menu[sec])}</a><div class="mega-menu__panel">')
        for col in range(5):
            body.append('<ul class="mega-menu__col">')
            for k in range(9):
                label = f"{rng.choice(menu)} {rng.choice(menu).lower()}" if k % 3 else rng.choice(menu)
                body.append(f'<li><a class="mega-menu__link" href="/s{sec}/c{col}/l{k}">{_esc(label)}</a></li>')
            body.append("</ul>")
        body.append("</div></li>")
    body.append("</ul></nav></header>")
    body.append(f'<nav class="breadcrumbs"><a href="/">Start</a> › <a href="/nyheter">{_esc(menu[18])}</a> › '
                f"{_esc(s.title)}</nav>")
    body.append('<div class="layout"><main id="main" class="main-content"><article class="news-article">')
    body.append(f"<h1>{_esc(s.title)}</h1>")
    body.append(f'<p class="meta">{t["published"]}: <time datetime="{pub.isoformat()}">{_fmt_date(t, pub)}</time></p>')
    body.append(f'<figure class="hero"><img src="/img/{rng.randrange(10**6)}.jpg" alt="">'
                f"<figcaption>Foto: {_esc(s.muni)}</figcaption></figure>")
    body.append(f'<p class="lead"><strong>{_esc(s.paragraphs[0])}</strong></p>')
    for i, p in enumerate(s.paragraphs[1:]):
        if i == 3:
            body.append(f"<h2>{_esc(rng.choice(t['filler']).split()[0])} {_esc(s.org)}</h2>")
        body.append(f"<p>{_esc(p)}</p>")
    body.append(f'<div class="contact-box"><h2>{t["contact"]}</h2><p>' + "<br>".join(
        _esc(c) if "@" not in c else c.split(": ")[0] + f': <a href="mailto:{c.split(": ")[1]}">{c.split(": ")[1]}</a>'
        for c in s.contact) + "</p></div>")
    body.append('<div class="share-bar">Del: <a href="https://www.facebook.com/sharer">Facebook</a> '
                '<a href="https://www.linkedin.com/share">LinkedIn</a> <a href="#" onclick="print()">Print</a></div>')
    body.append('<ul class="tags">' + "".join(f'<li><a href="/tag/{i}">{_esc(m)}</a></li>'
                                             for i, m in enumerate(rng.sample(menu, 6))) + "</ul>")
    body.append("</article></main>")
    body.append(f'<aside class="sidebar related"><h2>{t["related"]}</h2><ul>')
    for k in range(14):
        d = pub - timedelta(days=3 * k + 1)
        body.append(f'<li class="card"><time datetime="{d.isoformat()}">{_fmt_date(t, d)}</time> '
                    f'<a href="/nyheter/{k}">{_esc(rng.choice(t["news"]))}</a>'
                    f'<p class="teaser">{_esc(rng.choice(t["filler"]))}</p></li>')
    body.append("</ul></aside></div>")
    body.append('<footer class="site-footer"><div class="footer__cols">')
    for col in range(5):
        body.append('<ul class="footer__col">' + "".join(
            f'<li><a href="/f{col}/{k}">{_esc(rng.choice(menu))}</a></li>' for k in range(12)) + "</ul>")
    body.append(f'<p>{_esc(s.muni)} · {t["footer"]} {rng.randrange(10, 99)} {rng.randrange(10, 99)} 00 00 · '
                f'post@{s.domain}</p>')
    body.append(f'<form class="newsletter"><label>{t["newsletter"]}</label><input type="email"><button>OK</button></form>')
    body.append("</div></footer>")
    page = "\n".join(head + body)
    # Top up to the target size with more inline script (analytics, consent manager): chrome, not text.
    pad = target - len(page.encode("utf-8")) - 40
    if pad > 0:
        script = _js(rng, 1 + pad // 150)[: pad]
        page += f"\n<script>{script}</script>"
    return page + "\n</body>\n</html>\n"


# --- emails -------------------------------------------------------------------


def email_message(rng: random.Random, lang: str, attach_pdf: bool, extra: str | None = None,
                  town: str | None = None) -> bytes:
    t = LANGS[lang]
    s = story(rng, lang, extra=rng.randrange(1, 4), town=town)
    if extra:
        s.paragraphs.append(extra)
    msg = EmailMessage()
    msg["From"] = f"{s.muni} <nyheter@{s.domain}>"
    msg["To"] = "modtager@example.org"
    msg["Subject"] = s.title
    msg["Date"] = format_datetime(datetime(s.published.year, s.published.month, s.published.day, 8, 30,
                                           tzinfo=timezone(timedelta(hours=2))))
    msg["Message-ID"] = f"<{rng.randrange(10**12)}@{s.domain}>"
    plain = "\n\n".join([s.title, *s.paragraphs, t["contact"] + ":\n" + "\n".join(s.contact),
                         f"--\n{t['newsletter']}: https://www.{s.domain}/nyhetsbrev"])
    html = (f'<html><head><meta charset="utf-8"><title>{_esc(s.title)}</title></head><body>'
            f'<div style="background:#00558c;color:#fff;padding:10px">{_esc(s.muni.upper())} · '
            f'<a href="https://www.{s.domain}/nyhetsbrev">Web</a></div><h1>{_esc(s.title)}</h1>'
            + "".join(f"<p>{_esc(p)}</p>" for p in s.paragraphs)
            + f"<p><b>{t['contact']}:</b> " + ", ".join(_esc(c) for c in s.contact) + "</p>"
            + f'<p style="font-size:11px;color:#777">{t["newsletter"]} <a href="https://www.{s.domain}/afmeld">x</a>'
            f"<br>{_esc(s.muni)}</p></body></html>")
    if rng.random() < 0.5:
        msg.set_content(plain, charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    else:
        msg.set_content(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if attach_pdf:
        msg.add_attachment(pdf_document(rng, lang, pages=1, s=s), maintype="application", subtype="pdf",
                           filename="Avtale.pdf")
    return msg.as_bytes(policy=SMTP)


def text_page(rng: random.Random, lang: str, town: str | None = None) -> str:
    t = LANGS[lang]
    s = story(rng, lang, extra=rng.randrange(2, 5), town=town)
    menu = t["menu"].split("|")
    lines = ["Skip", s.muni, "  ".join(menu[:5]), "", t["cookie"], "", f"Start > {menu[18]}", "", s.title, "",
             f"{t['published']} {_fmt_date(t, s.published)}", ""]
    for p in s.paragraphs:
        lines += [p, ""]
    lines += [f"{t['contact']}:", *s.contact, "", "Facebook  |  LinkedIn  |  Print", "", s.muni, f"post@{s.domain}"]
    return "\n".join(lines) + "\n"


# --- PDFs ---------------------------------------------------------------------


def pdf_document(rng: random.Random, lang: str, pages: int, s: Story | None = None) -> bytes:
    """A multi-page agreement: title page with two columns, full-width pages,
    ruled tables, two-column pages; running header and page-numbered footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    t = LANGS[lang]
    s = s or story(rng, lang, extra=4)
    W, H = A4
    M = 56
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(t["pdf_title"].format(muni=s.muni, org=s.org))
    c.setAuthor(s.muni)
    dnr = f"{rng.randrange(2024, 2027)}/{rng.randrange(100, 999)}"

    def para(text: str, x: float, y: float, width: float, font: str = "Helvetica", size: float = 10) -> float:
        c.setFont(font, size)
        for line in simpleSplit(text, font, size, width):
            y -= size * 1.35
            if y < 130:  # above the signatures and the footer
                return y
            c.drawString(x, y, line)
        return y - size * 0.8

    def table(y: float) -> float:
        rows = [t["table"]] + [[rng.choice(t["sections"]), rng.choice(s.contact[0].split(", ")[:1] + [s.org]),
                                _amount(rng, lang), str(rng.randrange(2025, 2030))] for _ in range(rng.randrange(3, 7))]
        widths = [150, 140, 90, 100]
        top = y
        for r, row in enumerate(rows):
            c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 9)
            x = M
            for cell, w in zip(row, widths):
                c.drawString(x + 4, y - 11.5, cell[:28])
                x += w
            y -= 16
        right = M + sum(widths)
        for i in range(len(rows) + 1):
            c.line(M, top - i * 16, right, top - i * 16)
        x = M
        for w in [0, *widths]:
            x += w
            c.line(x, top, x, y)
        return y - 14

    section = 0
    texts = s.paragraphs + [f for f in t["filler"]]
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 7.5)
        c.drawString(M, H - 28, f"{s.muni.upper()}  Dnr {dnr}")
        c.drawString(M, 24, f"{s.muni} · post@{s.domain}")
        c.drawRightString(W - M, 24, f"{t['page']} {n} / {pages}")
        y = H - 70
        shape = "title" if n == 1 else rng.choice(["columns", "full", "table", "columns", "full"])
        if shape == "title":
            y = para(t["pdf_title"].format(muni=s.muni, org=s.org), M, y, W - 2 * M, "Helvetica-Bold", 16)
            y = para(t["period"].format(start=_fmt_date(t, s.published + timedelta(days=60)),
                                        end=_fmt_date(t, s.published + timedelta(days=1150))), M, y, W - 2 * M)
            shape = "columns"
        if shape == "table":
            section += 1
            y = para(f"§ {section} {t['sections'][section % len(t['sections'])]}", M, y, W - 2 * M, "Helvetica-Bold", 11)
            y = para(rng.choice(texts), M, y, W - 2 * M)
            y = table(y)
            shape = "full"
        if shape == "columns":
            gutter = 24
            cw = (W - 2 * M - gutter) / 2
            for x in (M, M + cw + gutter):
                yy = y
                while yy > 140:
                    section += 1
                    yy = para(f"§ {section} {t['sections'][section % len(t['sections'])]}", x, yy, cw,
                              "Helvetica-Bold", 11)
                    yy = para(" ".join(rng.sample(texts, 2)), x, yy, cw)
        else:
            while y > 140:
                section += 1
                y = para(f"§ {section} {t['sections'][section % len(t['sections'])]}", M, y, W - 2 * M,
                         "Helvetica-Bold", 11)
                y = para(" ".join(rng.sample(texts, 3)), M, y, W - 2 * M)
        if n == pages:
            c.setFont("Helvetica", 10)
            c.drawString(M, 110, f"{s.muni}")
            c.drawString(320, 110, s.org)
            c.drawString(M, 80, s.contact[0])
        c.showPage()
    c.save()
    return buf.getvalue()


def build_corpus(folder: Path, formats: list[str], n: int, seed: int = 0) -> dict[str, list[Path]]:
    rng = random.Random(seed)
    langs = list(LANGS)
    out: dict[str, list[Path]] = {}
    for fmt in formats:
        d = folder / fmt
        d.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            lang = langs[i % len(langs)]
            if fmt == "html":
                p = d / f"{lang}-{i:05d}.html"
                p.write_text(html_page(rng, lang), encoding="utf-8")
            elif fmt == "email":
                p = d / f"{lang}-{i:05d}.eml"
                p.write_bytes(email_message(rng, lang, attach_pdf=i % 3 == 0))
            elif fmt == "pdf":
                p = d / f"{lang}-{i:05d}.pdf"
                p.write_bytes(pdf_document(rng, lang, pages=rng.randrange(5, 21)))
            else:
                p = d / f"{lang}-{i:05d}.txt"
                p.write_text(text_page(rng, lang), encoding="utf-8")
            paths.append(p)
        out[fmt] = paths
    return out


# --- running ------------------------------------------------------------------


def _pipeline():
    """The library functions a run uses."""
    from pipeline import ingest
    from pipeline.registry import load_result, open_registry
    from pipeline.run import result_for, write_json_atomic

    return ingest, result_for, write_json_atomic, load_result, open_registry


def _rss_mb() -> float:
    """Current resident set size (from /proc), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STAGES = ("read", "extract", "json", "registry")


class Runner:
    """One worker's pipeline: read, extract, write JSON, load into the registry."""

    def __init__(self, out: Path, db: str) -> None:
        self.ingest, self.result_for, self.write_json, self.load_result, open_registry = _pipeline()
        self.out = out
        self.engine = open_registry(db)
        self.spent = dict.fromkeys(STAGES, 0.0)

    def __call__(self, path: Path) -> tuple[int, int, int]:
        """Returns (results, PDF pages read, failures); adds each stage's time to `spent`."""
        clock = time.perf_counter
        t0 = clock()
        doc = self.ingest.read(path)
        self.spent["read"] += clock() - t0
        pages = sum(int(d.metadata.get("pages", 0)) for d in doc.walk() if d.format == "pdf")
        failed = 0
        docs = doc.children if doc.container else [doc]
        for d in docs:
            t1 = clock()
            result = self.result_for(d)
            t2 = clock()
            self.write_json(self.out / f"{result.id}.json", result)
            t3 = clock()
            if self.load_result(self.engine, result).action not in ("inserted", "replaced", "unchanged"):
                failed += 1
            t4 = clock()
            self.spent["extract"] += t2 - t1
            self.spent["json"] += t3 - t2
            self.spent["registry"] += t4 - t3
        return len(docs), pages, failed


def _warm(runner: Runner, warmup: list[str]) -> None:
    from pipeline import language, nlp

    for lang in nlp.LANGS:
        nlp.load(lang)
    language.detect_text("Kommunen har tecknat ett nytt avtal med föreningen.")
    for p in warmup:
        runner(Path(p))
    runner.spent = dict.fromkeys(STAGES, 0.0)


def _worker(queue, results, barrier, out: str, db: str, warmup: list[str]) -> None:
    runner = Runner(Path(out), db)
    _warm(runner, warmup)
    gc.collect()
    barrier.wait()
    docs = pages = failed = 0
    while True:
        item = queue.get()
        if item is None:
            break
        try:
            n, p, f = runner(Path(item))
        except Exception as exc:  # noqa: BLE001 - count it, keep going
            print(f"  {item}: {type(exc).__name__}: {exc}", file=sys.stderr)
            n, p, f = 0, 0, 1
        docs, pages, failed = docs + n, pages + p, failed + f
    runner.engine.dispose()
    results.put((os.getpid(), docs, pages, failed, runner.spent, _peak_mb(), _rss_mb()))


@dataclass
class Measure:
    fmt: str
    workers: int
    files: int
    docs: int
    pages: int
    failed: int
    wall: float
    peak_mb: list[float]
    spent: dict[str, float]  # seconds per stage, summed over the workers

    @property
    def files_per_s_core(self) -> float:
        return self.files / self.wall / self.workers

    @property
    def pages_per_s_core(self) -> float:
        return self.pages / self.wall / self.workers


def measure(fmt: str, paths: list[Path], workers: int, work: Path, warmup: list[Path],
            registry: str = "shared") -> Measure:
    # Fresh interpreters (spawn), so each worker's peak RSS is its own.
    ctx = mp.get_context("spawn")
    out = work / f"out-{fmt}-{workers}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    from pipeline.registry import open_registry

    names = ["registry.sqlite"] * workers if registry == "shared" else [f"registry-{i}.sqlite" for i in range(workers)]
    for name in set(names):
        open_registry(f"sqlite:///{out / name}").dispose()  # created and migrated before the workers connect
    queue, results = ctx.Queue(), ctx.Queue()
    barrier = ctx.Barrier(workers + 1)
    warm = [str(p) for p in warmup]
    procs = [ctx.Process(target=_worker, args=(queue, results, barrier, str(out), f"sqlite:///{out / name}", warm))
             for name in names]
    for p in procs:
        p.start()
    for path in paths:
        queue.put(str(path))
    for _ in procs:
        queue.put(None)
    barrier.wait()
    t0 = time.perf_counter()
    stats = [results.get() for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    spent = {k: sum(s[4][k] for s in stats) for k in STAGES}
    return Measure(fmt, workers, len(paths), sum(s[1] for s in stats), sum(s[2] for s in stats),
                   sum(s[3] for s in stats), wall, [s[5] for s in stats], spent)


_SYLLABLES = "ka ri an ne lo ve sig ur da bjør tor hil de ma gnus ing rid sol veig ei nar fre ya".split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()


def _variety(rng: random.Random) -> str:
    """A line of things real documents never repeat: a case number, a person,
    a phone number, an address, a link (each a new string for the vocabulary)."""
    def name() -> str:
        return _name(rng)

    first, last = name(), name()
    return (f"Ref. {rng.randrange(2000, 2030)}/{rng.randrange(10**5):05d}-{rng.randrange(100)}: {first} {last}, "
            f"tel. {rng.randrange(10**7, 10**8)}, {first.lower()}.{last.lower()}@{name().lower()}.example.org, "
            f"https://www.{name().lower()}.example.org/{rng.randrange(10**9):x}")


def _long_worker(total: int, every: int, out: str, db: str, seed: int, conn) -> None:
    """Fresh small documents (text pages and emails with new places, names,
    sums, numbers and dates each), one at a time: read, extract, JSON, registry."""
    folder = Path(out) / "in"
    folder.mkdir(parents=True, exist_ok=True)
    runner = Runner(Path(out), db)
    _warm(runner, [])
    rng = random.Random(seed)
    langs = list(LANGS)
    t0 = time.perf_counter()
    for i in range(total):
        lang = langs[i % len(langs)]
        town = _name(rng) + rng.choice(("by", "vik", "stad", "holm", "dal", "sund"))  # new parties, as in real news
        if i % 2:
            path = folder / f"long-{i:07d}.eml"
            path.write_bytes(email_message(rng, lang, attach_pdf=False, extra=_variety(rng), town=town))
        else:
            path = folder / f"long-{i:07d}.txt"
            path.write_text(text_page(rng, lang, town=town) + _variety(rng) + "\n", encoding="utf-8")
        runner(path)
        path.unlink()
        (Path(out) / f"{path.stem}.json").unlink(missing_ok=True)
        if (i + 1) % every == 0 or i + 1 == total:
            conn.send((i + 1, time.perf_counter() - t0, _rss_mb(), _peak_mb(), dict(runner.spent)))
            runner.spent = dict.fromkeys(STAGES, 0.0)
    runner.engine.dispose()
    conn.send(None)


def long_run(total: int, work: Path, every: int = 5000, seed: int = 0) -> None:
    """One worker process through `total` new small documents, its RSS sampled every `every`."""
    ctx = mp.get_context("spawn")
    out = work / "out-long"
    out.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{out / 'registry.sqlite'}"
    from pipeline.registry import open_registry

    open_registry(db).dispose()
    conn_a, conn_b = ctx.Pipe()
    proc = ctx.Process(target=_long_worker, args=(total, every, str(out), db, seed, conn_b), daemon=True)
    proc.start()
    print(f"\nlong run: {total} new small documents (text pages and emails), one worker, JSON + registry each")
    print(f"{'docs':>8} {'seconds':>9} {'docs/s':>8} {'RSS MB':>8} {'peak MB':>8}   ms per document since the last line: "
          + " ".join(STAGES))
    try:
        done = 0
        while True:
            item = conn_a.recv()
            if item is None:
                break
            n, secs, rss, peak, spent = item
            stages = " ".join(f"{k} {spent[k] / (n - done) * 1000:.1f}" for k in STAGES)
            print(f"{n:>8} {secs:>9.1f} {n / secs:>8.1f} {rss:>8.1f} {peak:>8.1f}   {stages}", flush=True)
            done = n
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()


def loop_seconds() -> float:
    """Wall time of a plain Python loop of 10^7 steps: how fast this machine is just now
    (figures from a busy host are not comparable with a quiet one's)."""
    t = time.perf_counter()
    for _ in range(10**7):
        pass
    return time.perf_counter() - t


def run_formats(args, formats: list[str], workers: list[int], work: Path) -> None:
    before = loop_seconds()
    t0 = time.perf_counter()
    counts = {f: (max(4, args.n // 4) if f == "pdf" else args.n) for f in formats}
    corpus = {}
    for fmt in formats:
        corpus.update(build_corpus(work / "corpus", [fmt], counts[fmt], seed=args.seed + FORMATS.index(fmt)))
    warm_src = build_corpus(work / "warmup", list(FORMATS), 5, seed=args.seed + 99)
    warmup = [p for ps in warm_src.values() for p in ps]
    print(f"corpus built in {time.perf_counter() - t0:.1f}s under {work} ({os.cpu_count()} CPUs)")
    for fmt in formats:
        sizes = [p.stat().st_size for p in corpus[fmt]]
        print(f"  {fmt:<6} {len(sizes):>5} files, mean {sum(sizes) / len(sizes) / 1024:.1f} KB")

    rows: list[Measure] = []
    for fmt in formats:
        for w in workers:
            m = measure(fmt, corpus[fmt], w, work, warmup, args.registry)
            rows.append(m)
            if m.failed:
                print(f"  {fmt} x{w}: {m.failed} failed", file=sys.stderr)

    print(f"\nend to end: read + language + extraction + JSON file + registry load (SQLite, {args.registry})")
    print(f"{'format':<7} {'workers':>7} {'files':>6} {'results':>7} {'seconds':>8} {'docs/s':>8} "
          f"{'docs/s/core':>11} {'pages/s/core':>12} {'peak RSS MB per worker':>24}")
    for m in rows:
        pages = f"{m.pages_per_s_core:.1f}" if m.pages else "-"
        print(f"{m.fmt:<7} {m.workers:>7} {m.files:>6} {m.docs:>7} {m.wall:>8.2f} {m.files / m.wall:>8.1f} "
              f"{m.files_per_s_core:>11.1f} {pages:>12} {' '.join(f'{x:.0f}' for x in m.peak_mb):>24}")
    print("\ntime per result by stage, ms (summed over workers):")
    print(f"{'format':<7} {'workers':>7} " + " ".join(f"{k:>9}" for k in STAGES))
    for m in rows:
        print(f"{m.fmt:<7} {m.workers:>7} " + " ".join(f"{m.spent[k] / max(1, m.docs) * 1000:>9.2f}" for k in STAGES))
    if 1 in workers and 2 in workers:
        print("\nspeed-up, 2 workers vs 1 (wall time):")
        for fmt in formats:
            one = next(m for m in rows if m.fmt == fmt and m.workers == 1)
            two = next(m for m in rows if m.fmt == fmt and m.workers == 2)
            print(f"  {fmt:<6} {one.wall / two.wall:.2f}x")
    print(f"\nmachine: a Python loop of 10^7 steps took {before:.2f} s before the runs, {loop_seconds():.2f} s after")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="documents per format (default 200; PDFs: a quarter of it)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: html,email,pdf,text")
    ap.add_argument("--workers", default="1,2", help="worker counts to measure (default 1,2)")
    ap.add_argument("--long", type=int, default=0, metavar="N", help="also run N small documents through one worker, sampling RSS")
    ap.add_argument("--every", type=int, default=5000, help="RSS sample interval of --long (documents)")
    ap.add_argument("--registry", choices=("shared", "per-worker"), default="shared",
                    help="one SQLite registry all workers load into (default), or one per worker")
    ap.add_argument("--keep", metavar="DIR", help="build the corpus and outputs here and keep them")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format(s): {', '.join(bad)}")
    workers = [int(w) for w in args.workers.split(",")]

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="agreements-bench-"))
    try:
        if formats and args.n > 0:
            run_formats(args, formats, workers, work)
        if args.long:
            long_run(args.long, work, args.every, args.seed)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
