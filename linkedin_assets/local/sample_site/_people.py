"""The fictional people of the sample site: every name, company and school here is invented.

`_build.py` renders them into era-shaped pages. The `expect_*` fields are written by hand and become
the manifest's golden truth for the extractor tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Job:
    title: str
    company: str
    start: str
    end: str
    duration: str
    location: str | None = None
    description: str | None = None
    kind: str = "Full-time"
    # "Hybrid", "Remote" …: shown after the location ("Kraków, Poland · Hybrid"), not part of it.
    workplace: str | None = None

    @property
    def shown_location(self) -> str | None:
        if self.location and self.workplace:
            return f"{self.location} · {self.workplace}"
        return self.location


@dataclass(frozen=True)
class School:
    school: str
    degree: str | None
    field: str | None
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Post:
    urn: str
    text: str
    posted: str
    # None for the member's own post; a name when the card is someone else's post the member liked.
    author: str | None = None


@dataclass(frozen=True)
class Person:
    profile_id: str
    era: str
    name: str
    headline: str
    location: str
    about: str | None
    jobs: tuple[Job, ...]
    schools: tuple[School, ...]
    skills: tuple[str, ...] = ()
    connections: tuple[str, int] | None = None
    followers: tuple[str, int] | None = None
    posts: tuple[Post, ...] = ()
    cards: tuple[Post, ...] = ()
    current_company: str | None = None
    top_card_company: bool = True
    jsonld: str | None = None  # "full", "masked" or None
    jsonld_followers: int | None = None  # followers only the JSON-LD knows
    has_activity_page: bool = True
    total_jobs: int | None = None
    total_skills: int | None = None
    lang: str = "en"
    about_contains: tuple[str, ...] = ()
    fulltext_contains: tuple[str, ...] = ()
    fulltext_excludes: tuple[str, ...] = ()
    literal_markup: tuple[str, ...] = ()
    # "standard", or a variant page (`_variants`): "renamed" / "bare" inner classes, 2025 "divs".
    markup: str = "standard"
    # A variant's fields as the extractor's section-text fallback reads them, written by hand
    # (docs/extraction.md): they replace the derived expectations in the manifest.
    fallback: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Special:
    profile_id: str
    era: str
    outcome: str


# Names of other people shown in page chrome ("People also viewed", "More profiles for you").
BYSTANDERS = (
    ("Saoirse Whitcombe", "Product Manager at Lanternfish Games"),
    ("Bartholomew Nakagawa-Reyes", "Chief Technology Officer at Quarrystone"),
    ("Adaeze Thornbury", "Recruiter at Glimmerglass Talent"),
    ("Matthias Oyelowo-Brandt", "Data Scientist at Pebblecrest"),
)

LIKED_BY_OTHERS = Post(
    "7100000000000000001",
    "Hiring season is open at Fernmoss Logistics: twelve roles in data and platform teams.",
    "3w",
    author="Idris Fenwick",
)

PEOPLE: tuple[Person, ...] = (
    Person(
        profile_id="maren-okafor-7b3a21",
        era="logged_out_2023",
        name="Maren Okafor",
        headline="Head of Data Platform at Quillfeather Analytics",
        location="Rotterdam, South Holland, Netherlands",
        about=(
            "I build data platforms that small teams can actually run.\n"
            "Before Quillfeather I spent six years moving freight data around at Harrowgate "
            "Freight, where I learned to love boring technology."
        ),
        jobs=(
            Job(
                "Head of Data Platform",
                "Quillfeather Analytics",
                "Mar 2023",
                "Present",
                "1 year 5 months",
                "Rotterdam, South Holland, Netherlands",
                "Leading a team of seven engineers building the analytics lakehouse.\n"
                "Introduced data contracts across twelve product teams.",
            ),
            Job(
                "Senior Data Engineer",
                "Harrowgate Freight",
                "Jan 2020",
                "Feb 2023",
                "3 years 2 months",
                "Utrecht, Netherlands",
                "Owned the shipment event pipeline end to end.",
            ),
            Job("Data Engineer", "Harrowgate Freight", "Sep 2016", "Dec 2019", "3 years 4 months"),
            Job("Analyst Intern", "Pellbrook Consulting", "Jun 2015", "Aug 2015", "3 months"),
        ),
        schools=(
            School(
                "University of Lowmoor",
                "Master of Science - MS",
                "Computer Science",
                "2014",
                "2016",
            ),
            School(
                "Kestrel Polytechnic",
                "Bachelor of Science - BS",
                "Applied Mathematics",
                "2011",
                "2014",
            ),
        ),
        connections=("500+ connections", 500),
        followers=("2,345 followers", 2345),
        posts=(
            Post(
                "7190000000000000101",
                "We moved our nightly batch to streaming.\nHere is what broke first.",
                "2w",
            ),
            Post(
                "7180000000000000102",
                "Data contracts are a social tool before they are a technical one.",
                "1mo",
            ),
            LIKED_BY_OTHERS,
            Post("7170000000000000103", "Proud of the Quillfeather platform team today.", "3mo"),
        ),
        cards=(
            LIKED_BY_OTHERS,
            Post(
                "7100000000000000002",
                "Our warehouse migration is done, thanks to everyone who helped at Tidewell.",
                "1mo",
                author="Corentin Abara",
            ),
        ),
        current_company="Quillfeather Analytics",
        jsonld="full",
        about_contains=("small teams can actually run", "love boring technology"),
        fulltext_contains=(
            "Maren Okafor",
            "Head of Data Platform",
            "Harrowgate Freight",
            "Owned the shipment event pipeline end to end.",
            "University of Lowmoor",
            "Applied Mathematics",
            "We moved our nightly batch to streaming.",
        ),
        fulltext_excludes=(
            "Saoirse Whitcombe",
            "Join now",
            "Sign in",
            "User Agreement",
            "Join to view profile",
            "Hiring season is open at Fernmoss",
            "Tidewell",
            "People also viewed",
            "You're signed out",
            "3 years 2 months",
        ),
    ),
    Person(
        profile_id="tobias-lindqvist",
        era="logged_out_2023",
        name="Tobias Lindqvist",
        headline="Product Designer | Accessibility advocate",
        location="Malmö, Skåne County, Sweden",
        about=None,
        jobs=(
            Job(
                "Product Designer",
                "Brightwater Studio",
                "Aug 2021",
                "Present",
                "3 years 1 month",
                "Malmö, Sweden",
            ),
            Job(
                "UX Designer",
                "Lindenhof Interactive",
                "Feb 2018",
                "Jul 2021",
                "3 years 6 months",
                "Lund, Sweden",
                "Designed the booking flow used by forty regional theatres.",
            ),
        ),
        schools=(
            School(
                "Nordvik School of Design",
                "Bachelor of Fine Arts - BFA",
                "Interaction Design",
                "2014",
                "2017",
            ),
        ),
        connections=("312 connections", 312),
        followers=None,
        posts=(
            Post("7190000000000000201", "Contrast ratios are not a matter of taste.", "5d"),
            Post("7180000000000000202", "Screen reader testing session notes, part two.", "2mo"),
        ),
        cards=(LIKED_BY_OTHERS,),
        current_company="Brightwater Studio",
        jsonld="masked",
        jsonld_followers=87,
        fulltext_contains=(
            "Tobias Lindqvist",
            "Brightwater Studio",
            "Designed the booking flow used by forty regional theatres.",
            "Contrast ratios are not a matter of taste.",
        ),
        fulltext_excludes=("**-*****", "Bartholomew Nakagawa-Reyes", "Privacy Policy", "Sign in"),
    ),
    Person(
        profile_id="oisin-mcgarrity",
        era="logged_out_2023",
        name="Oisín McGarrity",
        headline="Ceramicist and kiln engineer",
        location="Galway, County Galway, Ireland",
        about=None,
        jobs=(
            Job("Kiln Engineer", "Brackenridge Ceramics", "2019", "Present", "5 years"),
            Job("Studio Assistant", "Tullagh Pottery", "2016", "2019", "3 years"),
        ),
        schools=(School("Western Atlantic College of Art", "Diploma", "Ceramics", "2013", "2016"),),
        connections=("86 connections", 86),
        followers=("140 followers", 140),
        posts=(
            Post("7190000000000000301", "Firing number 400 in the new kiln. Still learning.", "1w"),
        ),
        current_company="Brackenridge Ceramics",
        top_card_company=False,
        jsonld="full",
        fulltext_contains=("Oisín McGarrity", "Kiln Engineer", "Tullagh Pottery"),
        fulltext_excludes=("Adaeze Thornbury", "Cookie Policy", "Join now"),
    ),
    Person(
        profile_id="élodie-brückner",
        era="logged_out_2024",
        name="Élodie Brückner",
        headline="Sommelière & wine educator",
        location="Strasbourg, Grand Est, France",
        about=(
            "Twenty years of tasting, teaching and talking about Alsace wines.\n"
            "I run tasting courses in French, German and English."
        ),
        jobs=(
            Job(
                "Founder & Head Educator",
                "Cave Lumière Academy",
                "Apr 2017",
                "Present",
                "7 years 4 months",
                "Strasbourg, France",
                "Courses for restaurant staff and curious amateurs.",
            ),
            Job(
                "Head Sommelier",
                "Hôtel des Tilleuls",
                "May 2009",
                "Mar 2017",
                "7 years 11 months",
                "Colmar, France",
            ),
        ),
        schools=(
            School(
                "Université de Valmont", "Diplôme national d'œnologue", "Oenology", "2005", "2008"
            ),
        ),
        connections=("500+ connections", 500),
        followers=("1K followers", 1000),
        posts=(
            Post(
                "7190000000000000401",
                "Dégustation du jeudi : trois rieslings, trois terroirs.",
                "4d",
            ),
            Post("7180000000000000402", "Why Gewürztraminer deserves a second chance.", "3w"),
        ),
        cards=(LIKED_BY_OTHERS,),
        current_company="Cave Lumière Academy",
        about_contains=("Alsace wines", "French, German and English"),
        fulltext_contains=("Élodie Brückner", "Hôtel des Tilleuls", "Diplôme national d'œnologue"),
        fulltext_excludes=("Matthias Oyelowo-Brandt", "User Agreement", "Join to view profile"),
    ),
    Person(
        profile_id="kwame-asante-ba",
        era="logged_out_2024",
        name="Kwame Asante",
        headline="Civil Engineer — bridges, drainage and the odd footpath",
        location="Kumasi, Ashanti Region, Ghana",
        about=(
            "I design small bridges and drainage for towns that flood every rainy season.\n"
            "Chartered engineer, occasional lecturer, permanent optimist."
        ),
        jobs=(
            Job(
                "Principal Engineer",
                "Obuasi Structures Ltd",
                "Jan 2021",
                "Present",
                "3 years 8 months",
                "Kumasi, Ghana",
                "Lead engineer on the Offin river footbridge programme.",
            ),
            Job(
                "Senior Engineer",
                "Obuasi Structures Ltd",
                "Jun 2016",
                "Dec 2020",
                "4 years 7 months",
                "Kumasi, Ghana",
            ),
            Job(
                "Graduate Engineer",
                "Volta Span Consultants",
                "Sep 2013",
                "May 2016",
                "2 years 9 months",
                "Accra, Ghana",
            ),
        ),
        schools=(
            School(
                "Kwadaso University of Technology",
                "Bachelor of Science - BSc",
                "Civil Engineering",
                "2009",
                "2013",
            ),
        ),
        connections=("500+ connections", 500),
        followers=("12K followers", 12000),
        posts=(
            Post("7190000000000000501", "The Offin footbridge opened this morning.", "6d"),
            Post(
                "7180000000000000502",
                "Drainage is the least glamorous civil engineering.\n"
                "It is also the most important.",
                "1mo",
            ),
            Post("7170000000000000503", "Lecture slides on culvert design are up.", "2mo"),
        ),
        cards=(LIKED_BY_OTHERS,),
        current_company="Obuasi Structures Ltd",
        jsonld="full",
        about_contains=("flood every rainy season", "permanent optimist"),
        fulltext_contains=("Kwame Asante", "Volta Span Consultants", "Offin footbridge opened"),
        fulltext_excludes=("Saoirse Whitcombe", "Sign in", "Hiring season is open at Fernmoss"),
    ),
    Person(
        profile_id="priya-raghunathan",
        era="logged_in_2019",
        name="Priya Raghunathan",
        headline="Site Reliability Engineer at Tamarind Cloud",
        location="Pune, Maharashtra, India",
        about=(
            "On-call veteran. I like systems that fail loudly and recover quietly.\n"
            "Currently teaching our teams how to write runbooks people actually read."
        ),
        jobs=(
            Job(
                "Site Reliability Engineer",
                "Tamarind Cloud",
                "Apr 2019",
                "Present",
                "2 yrs 3 mos",
                "Pune, India",
                "Run the incident programme for the payments platform.",
            ),
            Job(
                "Systems Engineer",
                "Tamarind Cloud",
                "Jul 2017",
                "Mar 2019",
                "1 yr 9 mos",
                "Pune, India",
            ),
            Job(
                "Support Engineer",
                "Kolam Networks",
                "Jun 2015",
                "Jun 2017",
                "2 yrs 1 mo",
                "Bengaluru, India",
            ),
        ),
        schools=(
            School(
                "Deccan Institute of Engineering",
                "Bachelor of Engineering - BE",
                "Computer Engineering",
                "2011",
                "2015",
            ),
        ),
        skills=(
            "Kubernetes",
            "Incident Management",
            "Go (Programming Language)",
            "Linux",
            "Terraform",
        ),
        connections=("500+ connections", 500),
        followers=None,
        posts=(
            Post("6790000000000000601", "Postmortems are for learning, not for blame.", "1w"),
            Post("6780000000000000602", "Our runbook template is now open source.", "2mo"),
        ),
        current_company="Tamarind Cloud",
        about_contains=("fail loudly and recover quietly",),
        fulltext_contains=(
            "Priya Raghunathan",
            "Incident Management",
            "Kolam Networks",
            "Postmortems are for learning",
        ),
        fulltext_excludes=(
            "Bartholomew Nakagawa-Reyes",
            "My Network",
            "Dates Employed",
            "Privacy & Terms",
            "Messaging",
        ),
    ),
    Person(
        profile_id="ACoAABx7Qm4BkZr2TfVw9HcLpYsE1uNdJ0g",
        era="logged_in_2019",
        name="Ines Carvalho-Batista",
        headline="Marine biologist studying kelp forests",
        location="Porto, Portugal",
        about=None,
        jobs=(
            Job(
                "Research Fellow",
                "Instituto Marés do Norte",
                "Oct 2018",
                "Present",
                "2 yrs 9 mos",
                "Porto, Portugal",
            ),
            Job(
                "Field Technician",
                "Atlantic Kelp Survey",
                "Mar 2016",
                "Sep 2018",
                "2 yrs 7 mos",
                "Vigo, Spain",
                "Ran the monthly dive transects.",
            ),
        ),
        schools=(School("Universidade do Litoral Norte", "PhD", "Marine Biology", "2014", "2018"),),
        skills=("Scientific Diving", "R", "Underwater Photography"),
        connections=("273 connections", 273),
        posts=(Post("6790000000000000701", "Kelp recovered faster than we dared hope.", "3d"),),
        current_company="Instituto Marés do Norte",
        fulltext_contains=("Ines Carvalho-Batista", "Ran the monthly dive transects."),
        fulltext_excludes=("Adaeze Thornbury", "Jobs", "Field Of Study"),
    ),
    Person(
        profile_id="hana-kowalczyk",
        era="logged_in_2022",
        name="Hana Kowalczyk",
        headline="Staff Engineer at Veldt Robotics · Motion planning",
        location="Kraków, Małopolskie, Poland",
        about=(
            "I make robots move without bumping into things.\n"
            "Twelve years of motion planning, from warehouse arms to farm vehicles."
        ),
        jobs=(
            Job(
                "Staff Engineer",
                "Veldt Robotics",
                "Jan 2021",
                "Present",
                "3 yrs 8 mos",
                "Kraków, Poland",
                "Own the planning stack for the field robot fleet.",
                workplace="Hybrid",
            ),
            Job(
                "Senior Software Engineer",
                "Orlik Automation",
                "Mar 2018",
                "Dec 2020",
                "2 yrs 10 mos",
                "Gliwice, Poland",
            ),
            Job(
                "Software Engineer",
                "Orlik Automation",
                "Jul 2015",
                "Feb 2018",
                "2 yrs 8 mos",
                "Gliwice, Poland",
            ),
            Job(
                "Robotics Intern",
                "Wisła Dynamics",
                "Jun 2014",
                "Sep 2014",
                "4 mos",
                kind="Internship",
            ),
        ),
        total_jobs=7,
        schools=(
            School(
                "Vistula Technical University",
                "Master of Engineering - MEng",
                "Automatic Control and Robotics",
                "2010",
                "2015",
            ),
        ),
        skills=("Motion Planning", "C++", "ROS", "Rust"),
        total_skills=19,
        connections=("500+ connections", 500),
        followers=("3,410 followers", 3410),
        posts=(
            Post(
                "7190000000000000801", "Our planner now handles muddy fields.\nVideo below.", "2w"
            ),
            Post("7180000000000000802", "Hiring two robotics engineers in Kraków.", "1mo"),
            Post("7170000000000000803", "Slides from my ROS meetup talk.", "4mo"),
        ),
        cards=(
            Post(
                "7190000000000000801", "Our planner now handles muddy fields.\nVideo below.", "2w"
            ),
            Post("7180000000000000802", "Hiring two robotics engineers in Kraków.", "1mo"),
        ),
        current_company="Veldt Robotics",
        about_contains=("without bumping into things",),
        fulltext_contains=(
            "Hana Kowalczyk",
            "Orlik Automation",
            "Automatic Control and Robotics",
            "Motion Planning",
            "Our planner now handles muddy fields.",
        ),
        fulltext_excludes=(
            "Show all 7 experiences",
            "Saoirse Whitcombe",
            "More profiles for you",
            "Explore premium profiles",
            "Talent Solutions",
            "My Network",
            "3 yrs 8 mos",
        ),
    ),
    Person(
        profile_id="yusuf-haddad-dev",
        era="logged_in_2022",
        name="Yusuf Haddad",
        headline="Security researcher 🚀 | بناء أنظمة آمنة",
        location="Limassol, Cyprus",
        about=(
            "I test web apps for a living. Favourite payload: <script>alert(1)</script> "
            "(it never works on my clients, I promise) 🛡️\n"
            "مرحبا بالعالم — أكتب عن أمن تطبيقات الويب\n"
            "שלום עולם, sometimes I write in Hebrew too."
        ),
        jobs=(
            Job(
                "Principal Security Researcher",
                "Cedarline Security",
                "May 2020",
                "Present",
                "4 yrs 4 mos",
                "Limassol, Cyprus",
                "Found a stored XSS via <img src=x onerror=alert(2)> in a partner CMS.",
                workplace="Remote",
            ),
            Job(
                "Penetration Tester",
                "Oliveridge Consulting",
                "Sep 2016",
                "Apr 2020",
                "3 yrs 8 mos",
                "Nicosia, Cyprus",
            ),
        ),
        schools=(
            School(
                "Levant Institute of Technology",
                "Bachelor of Science - BS",
                "Computer Science",
                "2012",
                "2016",
            ),
        ),
        skills=("Web Application Security", "Burp Suite", "Threat Modeling"),
        connections=("500+ connections", 500),
        followers=("987 followers", 987),
        posts=(
            Post("7190000000000000901", "New write-up: bypassing a WAF with Unicode 🧵", "1w"),
            Post("7180000000000000902", "محاضرة جديدة عن أمن الويب الأسبوع القادم", "3w"),
        ),
        current_company="Cedarline Security",
        about_contains=("<script>alert(1)</script>", "🛡️", "مرحبا بالعالم", "שלום עולם"),
        fulltext_contains=(
            "Yusuf Haddad",
            "Security researcher 🚀",
            "bypassing a WAF with Unicode 🧵",
        ),
        fulltext_excludes=(
            "SCRIPT-CONTENT-MUST-NOT-LEAK",
            "STYLE-CONTENT-MUST-NOT-LEAK",
            "NOSCRIPT-CONTENT-MUST-NOT-LEAK",
            "TEMPLATE-CONTENT-MUST-NOT-LEAK",
            "Bartholomew Nakagawa-Reyes",
            "Careers",
        ),
        literal_markup=("<script>alert(1)</script>", "<img src=x onerror=alert(2)>"),
    ),
    Person(
        profile_id="camille-dufresne",
        era="logged_in_2022",
        name="Camille Dufresne",
        headline="Head Chef at Le Petit Héron",
        location="Lyon, Auvergne-Rhône-Alpes, France",
        about="Seasonal cooking, mostly vegetables, always with a story.",
        jobs=(
            Job("Head Chef", "Le Petit Héron", "Sep 2019", "Present", "5 yrs", "Lyon, France"),
            Job(
                "Sous Chef",
                "Brasserie Saint-Clair",
                "Jan 2014",
                "Aug 2019",
                "5 yrs 8 mos",
                "Annecy, France",
            ),
        ),
        schools=(
            School("Institut Culinaire de Fourvière", "Diplôme", "Culinary Arts", "2010", "2013"),
        ),
        skills=("Menu Development", "Kitchen Management", "Pastry"),
        connections=("500+ connections", 500),
        followers=("1,050 followers", 1050),
        cards=(
            Post("7190000000000001001", "Spring menu is live: wild garlic everything.", "1w"),
            Post(
                "7180000000000001002", "Thank you to our growers in the Monts du Lyonnais.", "1mo"
            ),
            Post(
                "7100000000000001003",
                "Our bakery is looking for an apprentice.",
                "2w",
                author="Léonie Marchetti-Vaux",
            ),
        ),
        has_activity_page=False,
        current_company="Le Petit Héron",
        about_contains=("mostly vegetables",),
        fulltext_contains=("Camille Dufresne", "Brasserie Saint-Clair", "Spring menu is live"),
        fulltext_excludes=(
            "Léonie Marchetti-Vaux",
            "looking for an apprentice",
            "Matthias Oyelowo-Brandt",
            "Ad Choices",
        ),
    ),
    Person(
        profile_id="aiko-tanabe",
        era="logged_in_2025",
        name="Aiko Tanabe",
        headline="Bioinformatics lead · single-cell genomics",
        location="Osaka, Japan",
        about=(
            "I turn sequencing runs into answers biologists can use.\n"
            "Open-source maintainer of two small Nextflow pipelines."
        ),
        jobs=(
            Job(
                "Bioinformatics Lead",
                "Hoshizora Biotech",
                "Apr 2022",
                "Present",
                "2 yrs 5 mos",
                "Osaka, Japan",
                "Lead a team of four analysts.",
                workplace="Hybrid",
            ),
            Job(
                "Senior Bioinformatician",
                "Hoshizora Biotech",
                "Apr 2019",
                "Mar 2022",
                "3 yrs",
                "Osaka, Japan",
            ),
            Job(
                "Research Associate",
                "Kansai Genome Centre",
                "Apr 2016",
                "Mar 2019",
                "3 yrs",
                "Kyoto, Japan",
            ),
        ),
        schools=(
            School(
                "Naniwa University",
                "Doctor of Philosophy - PhD",
                "Computational Biology",
                "2011",
                "2016",
            ),
        ),
        skills=("Python", "Single-cell RNA-seq", "Nextflow", "Statistics"),
        connections=("500+ connections", 500),
        followers=("1,204 followers", 1204),
        posts=(
            Post("7290000000000001101", "Our atlas preprint is out.", "5d"),
            Post("7280000000000001102", "Nextflow tip: pin your containers.", "2w"),
        ),
        current_company="Hoshizora Biotech",
        about_contains=("answers biologists can use",),
        fulltext_contains=(
            "Aiko Tanabe",
            "Kansai Genome Centre",
            "Single-cell RNA-seq",
            "Our atlas preprint is out.",
        ),
        fulltext_excludes=(
            "Adaeze Thornbury",
            "Messaging",
            "Explore premium profiles",
            "Accessibility",
        ),
    ),
    Person(
        profile_id="friederike-albers",
        era="logged_in_2025",
        lang="de",
        name="Friederike Albers",
        headline="Leiterin Energieberatung bei Nordlicht Stadtwerke",
        location="Bremen, Deutschland",
        about=(
            "Ich helfe Hausbesitzern, ihre Heizung zu modernisieren.\n"
            "Zwölf Jahre Erfahrung mit Wärmepumpen und Förderprogrammen."
        ),
        jobs=(
            Job(
                "Leiterin Energieberatung",
                "Nordlicht Stadtwerke",
                "Jan. 2020",
                "Heute",
                "4 J. 7 Mon.",
                "Bremen, Deutschland",
                kind="Vollzeit",
            ),
            Job(
                "Energieberaterin",
                "Weserkraft Consulting",
                "Aug. 2014",
                "Dez. 2019",
                "5 J. 5 Mon.",
                "Oldenburg, Deutschland",
                "Beratung von über 600 Haushalten.",
                kind="Vollzeit",
            ),
        ),
        schools=(
            School(
                "Hochschule Marschland",
                "Master of Engineering (M.Eng.)",
                "Erneuerbare Energien",
                "2012",
                "2014",
            ),
        ),
        skills=("Energieberatung", "Wärmepumpen", "Projektmanagement"),
        connections=("500+ Kontakte", 500),
        followers=("2.310 Follower", 2310),
        posts=(
            Post("7290000000000001201", "Neue Förderrichtlinie: was sich für Sie ändert.", "3 Tg."),
            Post("7280000000000001202", "Wärmepumpe im Altbau? Ja, das geht.", "2 Wo."),
        ),
        current_company="Nordlicht Stadtwerke",
        top_card_company=False,
        about_contains=("Heizung zu modernisieren",),
        fulltext_contains=(
            "Friederike Albers",
            "Weserkraft Consulting",
            "Wärmepumpen",
            "Beratung von über 600 Haushalten.",
        ),
        fulltext_excludes=("Startseite", "Saoirse Whitcombe", "Nutzervereinbarung"),
    ),
    Person(
        profile_id="luca-ferraro-4410",
        era="logged_in_2025",
        name="Luca Ferraro",
        headline="Freelance translator (IT ⇄ EN) and subtitler",
        location="Bologna, Emilia-Romagna, Italy",
        about=None,
        jobs=(
            Job(
                "Freelance Translator",
                "Self-employed",
                "Mar 2018",
                "Present",
                "6 yrs 6 mos",
                kind="Freelance",
            ),
            Job(
                "Subtitle Editor",
                "Portico Media",
                "Jan 2015",
                "Feb 2018",
                "3 yrs 2 mos",
                "Rome, Italy",
            ),
        ),
        schools=(
            School(
                "Università di Collebruno",
                "Laurea Magistrale",
                "Translation Studies",
                "2012",
                "2014",
            ),
        ),
        skills=("Translation", "Subtitling", "Trados"),
        connections=("412 connections", 412),
        followers=("640 followers", 640),
        posts=(
            Post("7290000000000001301", "Subtitling a documentary about Apennine wolves.", "1w"),
            Post("7280000000000001302", "Idioms that never survive translation, a thread.", "1mo"),
        ),
        current_company="Self-employed",
        top_card_company=False,
        fulltext_contains=("Luca Ferraro", "Portico Media", "Apennine wolves"),
        fulltext_excludes=("Bartholomew Nakagawa-Reyes", "Try Premium"),
    ),
    # ---- Variant pages: each era once more, with its sections' inner classes renamed or removed
    # (`_variants`). Their list fields are what the section-text fallback reads, written by hand.
    Person(
        profile_id="ingrid-solvang",
        era="logged_out_2023",
        markup="renamed",
        name="Ingrid Solvang",
        headline="Hydrologist at Fjellvann Institute",
        location="Bergen, Vestland, Norway",
        about=(
            "I forecast floods for the valleys of western Norway.\n"
            "Snow, rain and rivers: mostly rivers."
        ),
        jobs=(
            Job(
                "Senior Hydrologist",
                "Fjellvann Institute",
                "Feb 2020",
                "Present",
                "4 years 7 months",
                "Bergen, Norway",
                "Flood forecasting for western Norway.\nMaintains the snowmelt model.",
            ),
            Job(
                "Hydrologist",
                "Fjellvann Institute",
                "Aug 2016",
                "Jan 2020",
                "3 years 6 months",
                "Bergen, Norway",
            ),
            Job("Field Assistant", "Nordhav Survey", "Jun 2014", "Jul 2016", "2 years 2 months"),
        ),
        schools=(
            School("University of Vestlia", "Master of Science - MS", "Hydrology", "2012", "2014"),
        ),
        connections=("500+ connections", 500),
        followers=("1,120 followers", 1120),
        posts=(
            Post("7190000000000001501", "Spring flood season starts early this year.", "4d"),
            Post("7180000000000001502", "Our snowmelt model is now open source.", "3w"),
        ),
        cards=(LIKED_BY_OTHERS,),
        current_company="Fjellvann Institute",
        jsonld="full",
        about_contains=("valleys of western Norway", "mostly rivers"),
        fulltext_contains=(
            "Ingrid Solvang",
            "Senior Hydrologist",
            "Maintains the snowmelt model.",
            "University of Vestlia",
            "Spring flood season starts early this year.",
        ),
        fulltext_excludes=("Saoirse Whitcombe", "Join now", "User Agreement", "Show more"),
        fallback={
            "experience": [
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Fjellvann Institute\n2 positions\nSenior Hydrologist\n"
                        "Feb 2020 - Present 4 years 7 months\nBergen, Norway\n"
                        "Flood forecasting for western Norway.\nMaintains the snowmelt model.\n"
                        "Hydrologist\nAug 2016 - Jan 2020 3 years 6 months\nBergen, Norway"
                    ),
                },
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Field Assistant\nNordhav Survey\nJun 2014 - Jul 2016 2 years 2 months"
                    ),
                },
            ],
            "education": [
                {
                    "school": "University of Vestlia",
                    "degree": "Master of Science - MS",
                    "field": None,
                    "start": "2012",
                    "end": "2014",
                }
            ],
            "fallbacks": ["about", "education", "experience"],
        },
    ),
    Person(
        profile_id="rosalind-achterberg",
        era="logged_out_2024",
        markup="bare",
        name="Rosalind Achterberg",
        headline="Conservator of historic organs",
        location="Haarlem, North Holland, Netherlands",
        about="I keep old organs breathing.\nMost of my work happens inside the instrument.",
        jobs=(
            Job(
                "Organ Conservator",
                "Van Velde Orgelmakers",
                "Sep 2018",
                "Present",
                "6 years",
                "Haarlem, Netherlands",
                "Restores 17th-century pipe organs.",
            ),
            Job(
                "Apprentice Organ Builder",
                "Klaassen & Zonen",
                "Sep 2014",
                "Aug 2018",
                "4 years",
                "Utrecht, Netherlands",
            ),
        ),
        schools=(
            School(
                "Conservatory of Westervoort", "Bachelor of Music - BMus", "Organ", "2010", "2014"
            ),
        ),
        connections=("287 connections", 287),
        followers=("301 followers", 301),
        posts=(Post("7190000000000001601", "The Bavo organ sings again after two years.", "1w"),),
        current_company="Van Velde Orgelmakers",
        about_contains=("old organs breathing",),
        fulltext_contains=(
            "Rosalind Achterberg",
            "Klaassen & Zonen",
            "Restores 17th-century pipe organs.",
            "The Bavo organ sings again",
        ),
        fulltext_excludes=("Matthias Oyelowo-Brandt", "Cookie Policy", "Join to view profile"),
        fallback={
            "experience": [
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Organ Conservator\nVan Velde Orgelmakers\nSep 2018 - Present 6 years\n"
                        "Haarlem, Netherlands\nRestores 17th-century pipe organs."
                    ),
                },
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Apprentice Organ Builder\nKlaassen & Zonen\nSep 2014 - Aug 2018 4 years\n"
                        "Utrecht, Netherlands"
                    ),
                },
            ],
            "education": [
                {
                    "school": "Conservatory of Westervoort",
                    "degree": "Bachelor of Music - BMus",
                    "field": None,
                    "start": "2010",
                    "end": "2014",
                }
            ],
            "fallbacks": ["about", "education", "experience"],
        },
    ),
    Person(
        profile_id="joaquin-ferreyra-7c1",
        era="logged_in_2019",
        markup="bare",
        name="Joaquín Ferreyra",
        headline="Agronomist · soil health and cover crops",
        location="Córdoba, Argentina",
        about="Healthy soil first, yields second.\nI work with farmers, not for them.",
        jobs=(
            Job(
                "Agronomist",
                "Campo Sur Cooperativa",
                "Mar 2018",
                "Present",
                "3 yrs 4 mos",
                "Río Cuarto, Argentina",
                "Advises 40 farms on cover crop rotations.",
            ),
            Job(
                "Junior Agronomist",
                "Campo Sur Cooperativa",
                "Jan 2016",
                "Feb 2018",
                "2 yrs 2 mos",
                "Río Cuarto, Argentina",
            ),
            Job("Lab Technician", "Suelos del Plata", "Jun 2014", "Dec 2015", "1 yr 7 mos"),
        ),
        schools=(
            School(
                "Universidad Nacional de Sierra Chica",
                "Ingeniero Agrónomo",
                "Agronomy",
                "2009",
                "2014",
            ),
        ),
        skills=("Soil Science", "Cover Crops", "GIS"),
        connections=("500+ connections", 500),
        posts=(Post("6790000000000001701", "Rye and vetch, the quiet heroes of winter.", "2w"),),
        current_company="Campo Sur Cooperativa",
        about_contains=("Healthy soil first",),
        fulltext_contains=("Joaquín Ferreyra", "Suelos del Plata", "Cover Crops"),
        fulltext_excludes=(
            "Bartholomew Nakagawa-Reyes",
            "Dates Employed",
            "Company Name",
            "see more",
            "Privacy & Terms",
        ),
        fallback={
            "experience": [
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Campo Sur Cooperativa\n2 roles\nAgronomist\nMar 2018 – Present\n"
                        "3 yrs 4 mos\nRío Cuarto, Argentina\n"
                        "Advises 40 farms on cover crop rotations.\nJunior Agronomist\n"
                        "Jan 2016 – Feb 2018\n2 yrs 2 mos\nRío Cuarto, Argentina"
                    ),
                },
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Lab Technician\nSuelos del Plata Full-time\n"
                        "Jun 2014 – Dec 2015\n1 yr 7 mos"
                    ),
                },
            ],
            "education": [
                {
                    "school": "Universidad Nacional de Sierra Chica",
                    "degree": "Ingeniero Agrónomo",
                    "field": None,
                    "start": "2009",
                    "end": "2014",
                }
            ],
            "fallbacks": ["about", "education", "experience", "skills"],
        },
    ),
    Person(
        profile_id="mirela-dobrescu",
        era="logged_in_2022",
        markup="renamed",
        name="Mirela Dobrescu",
        headline="Structural biologist · cryo-EM",
        location="Cluj-Napoca, Romania",
        about="I look at proteins one frozen molecule at a time.\nMembrane transporters mostly.",
        jobs=(
            Job(
                "Group Leader",
                "Institutul Carpatic de Biologie",
                "Oct 2021",
                "Present",
                "2 yrs 11 mos",
                "Cluj-Napoca, Romania",
                "Cryo-EM of membrane transporters.",
                workplace="On-site",
            ),
            Job(
                "Postdoctoral Researcher",
                "Lisbon Structural Biology Lab",
                "Sep 2017",
                "Sep 2021",
                "4 yrs 1 mo",
                "Lisbon, Portugal",
            ),
        ),
        schools=(
            School(
                "Universitatea Someș", "Doctor of Philosophy - PhD", "Biophysics", "2012", "2017"
            ),
        ),
        skills=("Cryo-EM", "Protein Purification", "Python"),
        connections=("500+ connections", 500),
        followers=("2,050 followers", 2050),
        cards=(
            Post("7190000000000001801", "Our transporter structure is out in print.", "2w"),
            Post("7180000000000001802", "Grid preparation tips, part one.\nThread below.", "1mo"),
            Post(
                "7100000000000001803",
                "We are hiring a microscope technician.",
                "3w",
                author="Teodor Vasilescu-Hart",
            ),
        ),
        has_activity_page=False,
        current_company="Institutul Carpatic de Biologie",
        about_contains=("one frozen molecule at a time",),
        fulltext_contains=("Mirela Dobrescu", "Lisbon Structural Biology Lab", "Cryo-EM"),
        fulltext_excludes=(
            "Teodor Vasilescu-Hart",
            "microscope technician",
            "Saoirse Whitcombe",
            "Talent Solutions",
        ),
        fallback={
            "experience": [
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Group Leader\nInstitutul Carpatic de Biologie · Full-time\n"
                        "Oct 2021 - Present · 2 yrs 11 mos\nCluj-Napoca, Romania · On-site\n"
                        "Cryo-EM of membrane transporters."
                    ),
                },
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Postdoctoral Researcher\nLisbon Structural Biology Lab · Full-time\n"
                        "Sep 2017 - Sep 2021 · 4 yrs 1 mo\nLisbon, Portugal"
                    ),
                },
            ],
            "education": [
                {
                    "school": "Universitatea Someș",
                    "degree": "Doctor of Philosophy - PhD, Biophysics",
                    "field": None,
                    "start": "2012",
                    "end": "2017",
                }
            ],
            "activity": [
                {
                    "text": (
                        "Mirela Dobrescu posted this • 2w\n"
                        "Our transporter structure is out in print."
                    ),
                    "url": "https://www.linkedin.com/feed/update/urn:li:activity:7190000000000001801/",
                    "posted": None,
                },
                {
                    "text": (
                        "Mirela Dobrescu posted this • 1mo\n"
                        "Grid preparation tips, part one.\nThread below."
                    ),
                    "url": "https://www.linkedin.com/feed/update/urn:li:activity:7180000000000001802/",
                    "posted": None,
                },
            ],
            "fallbacks": ["about", "activity", "education", "experience", "skills"],
        },
    ),
    Person(
        profile_id="lan-hoang-3f9",
        era="logged_in_2025",
        markup="divs",
        name="Lan Hoàng",
        headline="Urban planner · transit-oriented development",
        location="Da Nang, Vietnam",
        about="Cities that work for people who walk.\nCurrently: the riverside transit corridor.",
        jobs=(
            Job(
                "Senior Urban Planner",
                "Song Han Planning Institute",
                "Jul 2020",
                "Present",
                "4 yrs 2 mos",
                "Da Nang, Vietnam",
                "Leads the riverside transit corridor plan.",
            ),
            Job(
                "Urban Planner",
                "Song Han Planning Institute",
                "Aug 2017",
                "Jun 2020",
                "2 yrs 11 mos",
                "Da Nang, Vietnam",
            ),
            Job(
                "Research Assistant",
                "Mekong Cities Lab",
                "Sep 2015",
                "Jul 2017",
                "1 yr 11 mos",
                "Can Tho, Vietnam",
            ),
        ),
        schools=(
            School(
                "Red River University of Architecture",
                "Master of Urban Planning - MUP",
                "Transport Planning",
                "2013",
                "2015",
            ),
        ),
        skills=("Urban Planning", "GIS", "Public Consultation"),
        connections=("500+ connections", 500),
        followers=("880 followers", 880),
        posts=(
            Post("7290000000000001901", "Draft corridor plan is open for comments.", "3d"),
            Post("7280000000000001902", "Shade is infrastructure.", "2w"),
        ),
        current_company="Song Han Planning Institute",
        about_contains=("people who walk",),
        fulltext_contains=("Lan Hoàng", "Mekong Cities Lab", "Public Consultation"),
        fulltext_excludes=("Adaeze Thornbury", "Explore premium profiles", "Show all"),
        fallback={
            "experience": [
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Song Han Planning Institute\nFull-time · 2\nSenior Urban Planner\n"
                        "Jul 2020 – Present · 4 yrs 2 mos\nDa Nang, Vietnam\n"
                        "Leads the riverside transit corridor plan.\nUrban Planner\n"
                        "Aug 2017 – Jun 2020 · 2 yrs 11 mos\nDa Nang, Vietnam"
                    ),
                },
                {
                    "title": None,
                    "company": None,
                    "location": None,
                    "start": None,
                    "end": None,
                    "description": (
                        "Research Assistant\nMekong Cities Lab · Full-time\n"
                        "Sep 2015 – Jul 2017 · 1 yr 11 mos\nCan Tho, Vietnam"
                    ),
                },
            ],
            "education": [
                {
                    "school": "Red River University of Architecture",
                    "degree": "Master of Urban Planning - MUP, Transport Planning",
                    "field": None,
                    "start": "2013",
                    "end": "2015",
                }
            ],
            "fallbacks": ["about", "education", "experience", "skills"],
        },
    ),
)

SPECIALS: tuple[Special, ...] = (
    Special("sigrun-hallvardsdottir", "logged_out_2023", "blocked"),
    Special("nobody-by-this-name", "logged_out_2023", "not_found"),
    Special("quentin-marchetti", "logged_out_2023", "rate_limited"),
)
