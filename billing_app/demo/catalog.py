"""Fixed reference data of the demo: the company, its tax rates and products, and name parts."""

from dataclasses import dataclass
from decimal import Decimal

CURRENCY = "EUR"
PASSWORD = "demo-password-2026"

COMPANY = {
    "name": "Northwind Digital GmbH",
    "address_line1": "Friedrichstraße 123",
    "address_line2": "4th floor",
    "postal_code": "10117",
    "city": "Berlin",
    "country": "DE",
    "tax_id": "DE298765431",
    "email": "billing@northwind-digital.example.com",
    "phone": "+49 30 5550 1000",
    "website": "https://northwind-digital.example.com",
    "invoice_number_pattern": "INV-{YYYY}-{SEQ:05}",
    "credit_note_number_pattern": "CN-{YYYY}-{SEQ:05}",
    "invoice_footer": "Northwind Digital GmbH · Amtsgericht Charlottenburg HRB 123456",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "payment_instructions": "Please transfer the amount due quoting the invoice number, or scan "
                            "the code with your banking app.",
    "default_notes": "Thank you for your business.",
    "default_terms": "Please pay by bank transfer quoting the invoice number.",
}


@dataclass(frozen=True)
class TaxRateSpec:
    name: str
    rate: Decimal
    description: str
    is_default: bool = False
    is_active: bool = True


STANDARD, REDUCED, ZERO = 1, 2, 3  # ids of the tax rates below, in order
TAX_RATES = (
    TaxRateSpec("Standard 19%", Decimal("19"), "Most goods and services.", is_default=True),
    TaxRateSpec("Reduced 7%", Decimal("7"), "Books and printed matter."),
    TaxRateSpec("Zero 0%", Decimal("0"), "Exports and intra-EU reverse charge."),
    TaxRateSpec("Standard 16% (2020)", Decimal("16"), "Temporary rate of 2020.", is_active=False),
)


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    unit: str
    price: Decimal
    tax_rate_id: int
    quantities: tuple[Decimal, ...]  # typical quantities on an invoice line
    for_individuals: bool = False


def _q(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


HOURS = _q("1", "1.5", "2", "2.5", "3", "4", "6", "7.5", "8", "10", "12", "16", "20", "24", "40")
FEW = _q("1", "1", "1", "2", "2", "3", "4", "5", "10")
ONE = _q("1",)
PRODUCTS = (
    ProductSpec("CONS-H", "IT consulting", "hour", Decimal("120.00"), STANDARD, HOURS, True),
    ProductSpec("DEV-H", "Software development", "hour", Decimal("95.00"), STANDARD, HOURS),
    ProductSpec("PM-H", "Project management", "hour", Decimal("110.00"), STANDARD, HOURS),
    ProductSpec("TRAIN-D", "On-site training", "day", Decimal("950.00"), STANDARD, _q("1", "2", "3", "5")),
    ProductSpec("WS-HALF", "Strategy workshop (half day)", "unit", Decimal("680.00"), STANDARD, ONE),
    ProductSpec("SUP-M", "Support retainer", "month", Decimal("450.00"), STANDARD, _q("1", "1", "3")),
    ProductSpec("HOST-M", "Managed hosting", "month", Decimal("49.90"), STANDARD, _q("1", "1", "12")),
    ProductSpec("BACKUP-M", "Offsite backup 100 GB", "month", Decimal("12.50"), STANDARD, _q("1", "12")),
    ProductSpec("SSL-Y", "SSL certificate", "year", Decimal("79.00"), STANDARD, ONE, True),
    ProductSpec("DOM-Y", "Domain registration", "year", Decimal("15.00"), STANDARD, _q("1", "2", "5"), True),
    ProductSpec("AUDIT", "Security audit", "unit", Decimal("2400.00"), STANDARD, ONE),
    ProductSpec("TRAVEL", "Travel expenses", "km", Decimal("0.30"), STANDARD, _q("40", "120", "250", "480")),
    ProductSpec("LAPTOP", "Business laptop 14\"", "unit", Decimal("1299.00"), STANDARD, FEW, True),
    ProductSpec("MON-27", "Monitor 27\"", "unit", Decimal("249.99"), STANDARD, FEW, True),
    ProductSpec("DOCK", "USB-C docking station", "unit", Decimal("189.00"), STANDARD, FEW, True),
    ProductSpec("KBD", "Wireless keyboard", "unit", Decimal("59.90"), STANDARD, FEW, True),
    ProductSpec("HDMI-2", "HDMI cable 2 m", "unit", Decimal("9.99"), STANDARD, _q("1", "2", "5", "10"), True),
    ProductSpec("BOOK-ACC", "Handbook: Practical Accounting", "unit", Decimal("39.90"), REDUCED, FEW, True),
    ProductSpec("MANUAL", "Printed user manual", "unit", Decimal("24.50"), REDUCED, FEW),
    ProductSpec("SHIP-INT", "International shipping", "unit", Decimal("35.00"), ZERO, ONE),
    ProductSpec("LIC-Y", "Analytics licence", "year", Decimal("590.00"), STANDARD, _q("1", "5", "10")),
)
RECURRING_PLANS = (("SUP-M", "HOST-M"), ("HOST-M", "BACKUP-M"), ("SUP-M",), ("HOST-M",))

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hannah", "Ivan", "Julia", "Karl",
    "Lena", "Marco", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Simon", "Tara", "Uwe", "Vera",
    "Walter", "Xenia", "Yusuf", "Zoe", "Amir", "Chloe", "Jonas", "Mia", "Noah", "Sofia",
)
LAST_NAMES = (
    "Schmidt", "Müller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch",
    "Richter", "Klein", "Wolf", "Neumann", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lange",
    "Meyer", "Novak", "Rossi", "Dubois", "Jansen", "Kowalski", "Smith", "García", "Yilmaz",
)
COMPANY_WORDS = (
    "Alpine", "Baltic", "Blue", "Bright", "Cedar", "Copper", "Crystal", "Delta", "Eagle",
    "Evergreen", "Falcon", "Granite", "Harbor", "Horizon", "Iron", "Lakeside", "Maple", "Nordic",
    "Oak", "Orbit", "Pioneer", "Quantum", "River", "Silver", "Summit", "Vertex", "Zenith",
)
COMPANY_TRADES = (
    "Logistics", "Consulting", "Media", "Engineering", "Foods", "Architects", "Health",
    "Software", "Retail", "Analytics", "Energy", "Print", "Travel", "Legal", "Studios",
)
COMPANY_FORMS = {"DE": "GmbH", "AT": "GmbH", "NL": "B.V.", "FR": "SARL", "US": "Inc."}
JOB_TITLES = ("Accounts Payable", "CFO", "Office Manager", "Procurement", "CEO", "Controller")
STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schillerstraße", "Marktplatz",
    "Bergstraße", "Kirchgasse", "Am Hafen", "Industriestraße",
)
CITIES = (  # (postal code, city, region, country); Germany first and most often
    ("10115", "Berlin", "Berlin", "DE"), ("20095", "Hamburg", "Hamburg", "DE"),
    ("80331", "München", "Bayern", "DE"), ("50667", "Köln", "Nordrhein-Westfalen", "DE"),
    ("60311", "Frankfurt am Main", "Hessen", "DE"), ("70173", "Stuttgart", "Baden-Württemberg", "DE"),
    ("04109", "Leipzig", "Sachsen", "DE"), ("28195", "Bremen", "Bremen", "DE"),
    ("1010", "Wien", "Wien", "AT"), ("1012", "Amsterdam", "Noord-Holland", "NL"),
    ("75002", "Paris", "Île-de-France", "FR"), ("10001", "New York", "NY", "US"),
)
CITY_WEIGHTS = (18, 10, 10, 8, 8, 6, 5, 4, 4, 3, 3, 2)
