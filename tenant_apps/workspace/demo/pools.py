"""Word pools the demo generators draw from, in English and in Bulgarian.

E-mail domains end in `.example` (RFC 2606), so demo data can never mail a real person;
phone numbers are well-formed E.164 numbers of the countries the cities belong to."""

from dataclasses import dataclass

TRANSLIT = dict(zip(
    "абвгдежзийклмнопрстуфхцчшщъьюя",
    ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "h", "ts", "ch", "sh", "sht", "a", "y", "yu", "ya"],
    strict=True,
))


def latin(text: str) -> str:
    """Bulgarian in Latin letters (the official streamlined system), for e-mail addresses."""
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


@dataclass(frozen=True)
class City:
    name: str
    postal_code: str
    country: str
    phone_prefix: str  # E.164 country code and a mobile or area prefix; digits follow


@dataclass(frozen=True)
class Pool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last_male: tuple[str, ...]
    last_female: tuple[str, ...]
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    company_words: tuple[str, ...]
    company_kinds: tuple[str, ...]
    company_suffixes: tuple[str, ...]
    job_titles: tuple[str, ...]
    deal_things: tuple[str, ...]
    notes: tuple[str, ...]
    call_subjects: tuple[str, ...]
    meeting_subjects: tuple[str, ...]
    email_subjects: tuple[str, ...]
    lost_reasons: tuple[str, ...]
    tags: tuple[str, ...]
    task_titles: tuple[str, ...]
    # Custom fields: (entity, key, label, type, options)
    custom_fields: tuple[tuple[str, str, str, str, tuple[str, ...]], ...]
    second_pipeline: tuple[str, tuple[tuple[str, int], ...]]
    tld: str


EN = Pool(
    male=("James", "Oliver", "Daniel", "Thomas", "Michael", "David", "Samuel", "Henry", "Lucas", "Ethan", "Noah",
          "Adrian", "Martin", "George", "Peter", "William", "Jack", "Ryan", "Nathan", "Leo"),
    female=("Emma", "Olivia", "Sophie", "Charlotte", "Grace", "Hannah", "Emily", "Lucy", "Chloe", "Isabel", "Anna",
            "Laura", "Rachel", "Megan", "Sarah", "Julia", "Alice", "Eva", "Nora", "Claire"),
    last_male=("Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Thompson",
               "Robinson", "Hughes", "Green", "Hall", "Wood", "Clarke", "Turner", "Hill", "Cooper", "Ward", "Baker",
               "Morris", "King", "Parker", "Bennett", "Fischer", "Novak", "Rossi", "Dubois", "Jansen"),
    last_female=(),
    cities=(
        City("London", "EC1A 1BB", "United Kingdom", "+447700"), City("Manchester", "M1 1AE", "United Kingdom", "+447700"),
        City("Berlin", "10115", "Germany", "+49151"), City("Munich", "80331", "Germany", "+49160"),
        City("Vienna", "1010", "Austria", "+43664"), City("Amsterdam", "1012", "Netherlands", "+31612"),
        City("Dublin", "D02", "Ireland", "+35385"), City("Sofia", "1000", "Bulgaria", "+35988"),
        City("New York", "10001", "United States", "+1212555"), City("Boston", "02108", "United States", "+1617555"),
        City("Paris", "75001", "France", "+33612"), City("Milan", "20121", "Italy", "+39347"),
    ),
    streets=("High Street", "Station Road", "Church Lane", "Market Square", "Park Avenue", "Mill Road", "King Street",
             "Harbour Way", "Queen's Road", "Elm Grove"),
    company_words=("Northwind", "Bluefield", "Brightpath", "Silverline", "Redwood", "Ironbridge", "Greenleaf", "Summit",
                   "Harbor", "Keystone", "Lakeside", "Pinecrest", "Riverstone", "Skyline", "Oakridge", "Westbrook",
                   "Clearwater", "Goldcrest", "Highland", "Meridian", "Evergreen", "Horizon", "Foxglove", "Crescent"),
    company_kinds=("Logistics", "Software", "Foods", "Analytics", "Engineering", "Health", "Media", "Energy",
                   "Consulting", "Robotics", "Retail", "Finance", "Labs", "Studio", "Systems", "Travel"),
    company_suffixes=("Ltd", "Inc.", "GmbH", "LLC", "plc", "B.V.", "Group", ""),
    job_titles=("CEO", "CTO", "CFO", "Head of Sales", "Sales Manager", "Account Executive", "Marketing Manager",
                "Procurement Lead", "Operations Director", "IT Manager", "Office Manager", "Product Owner",
                "Founder", "Purchasing Manager", "Customer Success Lead", "HR Business Partner"),
    deal_things=("annual licence", "onboarding package", "support contract", "pilot project", "seat expansion",
                 "data migration", "integration project", "renewal", "training days", "enterprise plan",
                 "consulting retainer", "hardware bundle"),
    notes=(
        "Discussed **budget** for next quarter; they compare us with two other vendors.",
        "Prefers e-mail over calls. Decision expected after the board meeting.",
        "Asked for a reference customer in the same industry.",
        "Current contract with a competitor ends in the spring.",
        "- needs SSO\n- wants a 12-month price lock\n- invoice in EUR",
        "Very happy with the pilot; wants to roll out to two more teams.",
        "Legal review of the contract is in progress.",
        "Met at the trade fair; interested in the reporting features.",
    ),
    call_subjects=("Intro call", "Follow-up on the proposal", "Pricing questions", "Check-in", "Renewal call",
                   "Technical questions"),
    meeting_subjects=("Product demo", "Kick-off meeting", "Quarterly review", "Contract negotiation", "Site visit",
                      "Workshop with the IT team"),
    email_subjects=("Proposal attached", "Meeting notes", "Next steps", "Price list", "Contract draft"),
    lost_reasons=("Price too high", "Chose a competitor", "No budget this year", "Project cancelled",
                  "No response", "Missing feature"),
    tags=("VIP", "Newsletter", "Partner", "Trade fair 2026", "Decision maker", "Churn risk", "Upsell"),
    task_titles=("Call back about the proposal", "Send the contract draft", "Prepare the demo", "Follow up on invoice",
                 "Book a meeting with the CFO", "Send the price list", "Check in after onboarding",
                 "Ask for a referral", "Update the forecast", "Review the requirements"),
    custom_fields=(
        ("contact", "preferred_channel", "Preferred channel", "select", ("E-mail", "Phone", "In person")),
        ("contact", "newsletter", "Newsletter", "boolean", ()),
        ("company", "annual_revenue", "Annual revenue (EUR)", "number", ()),
        ("deal", "competitor", "Competitor", "select", ("None", "Salesforce", "HubSpot", "Pipedrive", "Other")),
    ),
    second_pipeline=("Partnerships", (("Introduced", 10), ("Evaluating", 30), ("Terms agreed", 70))),
    tld="example",
)

BG = Pool(
    male=("Иван", "Георги", "Димитър", "Николай", "Петър", "Христо", "Стефан", "Александър", "Мартин", "Тодор",
          "Васил", "Калоян", "Борис", "Янко", "Атанас", "Любомир", "Пламен", "Радослав", "Емил", "Виктор"),
    female=("Мария", "Елена", "Иванка", "Десислава", "Гергана", "Надежда", "Петя", "Цветелина", "Силвия", "Радост",
            "Анна", "Теодора", "Милена", "Йорданка", "Виктория", "Зорница", "Камелия", "Даниела", "Яна", "Росица"),
    last_male=("Иванов", "Георгиев", "Димитров", "Петров", "Николов", "Христов", "Стоянов", "Тодоров", "Илиев",
               "Василев", "Атанасов", "Петков", "Ангелов", "Колев", "Маринов", "Йорданов", "Попов", "Костов",
               "Найденов", "Кирилов"),
    last_female=("Иванова", "Георгиева", "Димитрова", "Петрова", "Николова", "Христова", "Стоянова", "Тодорова",
                 "Илиева", "Василева", "Атанасова", "Петкова", "Ангелова", "Колева", "Маринова", "Йорданова", "Попова",
                 "Костова", "Найденова", "Кирилова"),
    cities=(
        City("София", "1000", "България", "+35988"), City("Пловдив", "4000", "България", "+35987"),
        City("Варна", "9000", "България", "+35989"), City("Бургас", "8000", "България", "+35988"),
        City("Русе", "7000", "България", "+35987"), City("Стара Загора", "6000", "България", "+35989"),
        City("Плевен", "5800", "България", "+35988"), City("Велико Търново", "5000", "България", "+35987"),
        City("Благоевград", "2700", "България", "+35989"), City("Шумен", "9700", "България", "+35988"),
    ),
    streets=("бул. Витоша", "ул. Раковски", "бул. Христо Ботев", "ул. Гладстон", "бул. България", "ул. Шипка",
             "ул. Цар Симеон", "бул. Левски", "ул. Иван Вазов", "бул. Цариградско шосе"),
    company_words=("Балкан", "Родопа", "Тракия", "Витоша", "Пирин", "Дунав", "Черноморие", "Рила", "Орфей",
                   "Странджа", "Искър", "Марица", "Хемус", "Мизия", "Янтра", "Огоста"),
    company_kinds=("Логистик", "Софт", "Фуудс", "Строй", "Медикал", "Енерджи", "Консулт", "Агро", "Трейд", "Текстил",
                   "Принт", "Тур"),
    company_suffixes=("ООД", "ЕООД", "АД", "ЕАД", "ООД"),
    job_titles=("Управител", "Изпълнителен директор", "Финансов директор", "Търговски директор", "Мениджър продажби",
                "Търговски представител", "Маркетинг мениджър", "Мениджър доставки", "ИТ мениджър",
                "Офис мениджър", "Главен счетоводител", "Ръководител проекти", "Собственик", "Оперативен директор"),
    deal_things=("годишен лиценз", "пакет за внедряване", "договор за поддръжка", "пилотен проект", "допълнителни потребители",
                 "миграция на данни", "интеграция", "подновяване", "обучение", "корпоративен план", "консултантски услуги"),
    notes=(
        "Обсъдихме **бюджета** за следващото тримесечие; сравняват ни с още двама доставчици.",
        "Предпочита имейл пред обаждания. Решението ще е след заседанието на борда.",
        "Поиска референтен клиент от същия бранш.",
        "Договорът им с конкурент изтича през пролетта.",
        "- нужен е единен вход (SSO)\n- иска фиксирана цена за 12 месеца\n- фактура в лева",
        "Много доволни от пилотния проект; искат да го разширят за още два екипа.",
        "Договорът е на преглед при юристите.",
        "Срещнахме се на изложението; интересуват се от справките.",
    ),
    call_subjects=("Първо обаждане", "Проследяване на офертата", "Въпроси за цената", "Проверка", "Подновяване",
                   "Технически въпроси"),
    meeting_subjects=("Демонстрация на продукта", "Начална среща", "Тримесечен преглед", "Преговори по договора",
                      "Посещение на място", "Работна среща с ИТ отдела"),
    email_subjects=("Изпращам офертата", "Бележки от срещата", "Следващи стъпки", "Ценова листа", "Проект на договор"),
    lost_reasons=("Твърде висока цена", "Избраха конкурент", "Няма бюджет тази година", "Проектът е отменен",
                  "Няма отговор", "Липсваща функционалност"),
    tags=("ВИП", "Бюлетин", "Партньор", "Изложение 2026", "Взема решения", "Риск от отказ", "Допълнителна продажба"),
    task_titles=("Обаждане за офертата", "Изпращане на проектодоговора", "Подготовка на демонстрация",
                 "Проследяване на фактура", "Среща с финансовия директор", "Изпращане на ценова листа",
                 "Проверка след внедряването", "Молба за препоръка", "Обновяване на прогнозата",
                 "Преглед на изискванията"),
    custom_fields=(
        ("contact", "preferred_channel", "Предпочитан канал", "select", ("Имейл", "Телефон", "На живо")),
        ("contact", "newsletter", "Бюлетин", "boolean", ()),
        ("company", "annual_revenue", "Годишен оборот (лв.)", "number", ()),
        ("deal", "competitor", "Конкурент", "select", ("Няма", "Salesforce", "HubSpot", "Pipedrive", "Друг")),
    ),
    second_pipeline=("Партньорства", (("Представени", 10), ("Оценка", 30), ("Договорени условия", 70))),
    tld="example",
)

POOLS = {"en": EN, "bg": BG}
PERSONAL_DOMAINS = ("mail.example", "post.example", "inbox.example")

# How many digits follow each prefix, so every number is a possible E.164 number.
PHONE_DIGITS = {"+447700": 6, "+49151": 8, "+49160": 8, "+43664": 7, "+31612": 6, "+35385": 7, "+35988": 7,
                "+35987": 7, "+35989": 7, "+1212555": 4, "+1617555": 4, "+33612": 6, "+39347": 7}


def person(rng, pool: Pool) -> tuple[str, str]:
    """A first and last name; Bulgarian surnames agree with the first name's gender."""
    if rng.random() < 0.5:
        return rng.choice(pool.male), rng.choice(pool.last_male)
    return rng.choice(pool.female), rng.choice(pool.last_female or pool.last_male)


def phone(rng, city: City) -> str:
    digits = PHONE_DIGITS[city.phone_prefix]
    return city.phone_prefix + "".join(rng.choice("0123456789") for _ in range(digits))


def company_name(rng, pool: Pool) -> str:
    suffix = rng.choice(pool.company_suffixes)
    return " ".join(part for part in (rng.choice(pool.company_words), rng.choice(pool.company_kinds), suffix) if part)


def domain_for(name: str, pool: Pool) -> str:
    """'Northwind Logistics Ltd' -> 'northwind-logistics.example'."""
    words = [latin(w) for w in name.split() if w not in pool.company_suffixes]
    slug = "-".join("".join(ch for ch in w if ch.isalnum()) for w in words)
    return f"{slug}.{pool.tld}"


def email_local(first: str, last: str, style: int) -> str:
    first, last = latin(first), latin(last)
    return (f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last[0]}", f"{first}_{last}")[style % 4]


def address(rng, pool: Pool) -> str:
    """'12 High Street' in English, 'бул. Витоша 12' in Bulgarian."""
    number, street = rng.randint(1, 120), rng.choice(pool.streets)
    return f"{number} {street}" if pool is EN else f"{street} {number}"
