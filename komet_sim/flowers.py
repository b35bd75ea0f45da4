"""A Faker provider with the flower trade's data (docs/domain.md §3): varieties, lengths, box types, growers,
importers' customers and marks, airlines. Seeded through Faker, so one seed gives one world."""

from __future__ import annotations

from faker.providers import BaseProvider

ROSES = [
    ("Freedom", "Red"),
    ("Explorer", "Red"),
    ("Forever Young", "Red"),
    ("Vendela", "Cream"),
    ("Mondial", "White"),
    ("Playa Blanca", "White"),
    ("Pink Floyd", "Hot Pink"),
    ("Orange Crush", "Orange"),
    ("Deep Purple", "Purple"),
    ("High Magic", "Bicolor"),
    ("Brighton", "Yellow"),
    ("Candlelight", "Yellow"),
    ("Tara", "Yellow"),
    ("Escimo", "White"),
    ("Sweet Escimo", "Pink"),
    ("Gotcha", "Pink"),
    ("Ocean Song", "Lavender"),
    ("Priceless", "Pink"),
    ("Quicksand", "Nude"),
    ("Sahara", "Sand"),
    ("Secret Garden", "Peach"),
    ("Akito", "White"),
    ("Nena", "Lavender"),
    ("Hearts", "Red"),
]
SPRAY_ROSES = [
    ("Lydia", "Pink"),
    ("Snowflake", "White"),
    ("Mirabel", "Bicolor"),
    ("Rubicon", "Red"),
    ("Fire King", "Orange"),
    ("Babe", "Pink"),
]
CARNATION_COLORS = ["Red", "White", "Pink", "Light Pink", "Yellow", "Orange", "Green", "Burgundy", "Bicolor"]
CARNATION_GRADES = ["Select", "Fancy", "Standard"]
HYDRANGEAS = [
    ("Select", "White"),
    ("Premium", "Blue"),
    ("Premium", "Antique Green"),
    ("Jumbo", "White"),
    ("Select", "Pink"),
]
ROSE_LENGTHS = [40, 50, 60, 70, 80, 90]
# FOB price per stem by length (docs/domain.md §3.4: US$0.25–0.80).
ROSE_PRICE = {40: 0.28, 50: 0.33, 60: 0.42, 70: 0.50, 80: 0.62, 90: 0.75}

BOX_TYPES = [("FB", 1.0, 900), ("HB", 0.5, 901), ("QB", 0.25, 902), ("EB", 0.125, 903)]

AIRLINES = [
    ("729", "QT", "Avianca Cargo"),
    ("985", "L7", "LATAM Cargo Colombia"),
    ("145", "UC", "LATAM Cargo Chile"),
    ("369", "5Y", "Atlas Air"),
    ("810", "M6", "Amerijet International"),
    ("272", "K4", "Kalitta Air"),
    ("406", "5X", "UPS Airlines"),
    ("023", "FX", "FedEx Express"),
]

GROWER_FIRST = ["Flores", "Rosas", "Hacienda", "Finca", "Cultivos", "Agrícola", "Jardines", "Plantaciones"]
GROWER_SECOND = [
    "del Valle",
    "La Esperanza",
    "Santa Rosa",
    "El Rosal",
    "San Jorge",
    "Bella Vista",
    "Los Andes",
    "La Sabana",
    "Guaytara",
    "Rionegro",
    "Cotopaxi",
    "El Quinche",
    "Tabacundo",
    "Cayambe",
    "Monteverde",
    "La Campiña",
]
PORTS = {"BOG": ("Colombia", "S.A.S."), "MDE": ("Colombia", "S.A.S."), "UIO": ("Ecuador", "Cía. Ltda.")}
CUSTOMER_KINDS = [
    ("Wholesaler", "Wholesale Florist"),
    ("Retailer", "Flowers"),
    ("Supermarket", "Markets"),
    ("Florist", "Floral Design"),
    ("Wholesaler", "Flower Distributors"),
]


class FlowerProvider(BaseProvider):
    def product(self) -> dict:
        """One catalogue product: description, category, variety, colour, grade, stems per bunch, price."""
        kind = self.random_element(OrderedKinds)
        if kind == "rose":
            variety, color = self.random_element(ROSES)
            length = self.random_element(ROSE_LENGTHS)
            return {
                "category": "Roses",
                "variety": variety,
                "color": color,
                "grade": f"{length}cm",
                "description": f"Rose {variety} {color} {length}cm",
                "stems_bunch": 25,
                "price": ROSE_PRICE[length],
                "code": f"R{_code(variety)}{length}",
            }
        if kind == "spray":
            variety, color = self.random_element(SPRAY_ROSES)
            length = self.random_element([40, 50, 60])
            return {
                "category": "Spray Roses",
                "variety": variety,
                "color": color,
                "grade": f"{length}cm",
                "description": f"Spray Rose {variety} {color} {length}cm",
                "stems_bunch": 10,
                "price": round(ROSE_PRICE[length] + 0.12, 2),
                "code": f"SR{_code(variety)}{length}",
            }
        if kind == "carnation":
            color = self.random_element(CARNATION_COLORS)
            grade = self.random_element(CARNATION_GRADES)
            return {
                "category": "Carnations",
                "variety": f"Carnation {color}",
                "color": color,
                "grade": grade,
                "description": f"Carnation {grade} {color}",
                "stems_bunch": 25,
                "price": {"Select": 0.22, "Fancy": 0.18, "Standard": 0.15}[grade],
                "code": f"C{grade[0]}{_code(color)}",
            }
        if kind == "minicarnation":
            color = self.random_element(CARNATION_COLORS)
            return {
                "category": "Mini Carnations",
                "variety": f"Mini Carnation {color}",
                "color": color,
                "grade": "Select",
                "description": f"Mini Carnation Select {color}",
                "stems_bunch": 10,
                "price": 0.20,
                "code": f"MC{_code(color)}",
            }
        grade, color = self.random_element(HYDRANGEAS)
        return {
            "category": "Hydrangeas",
            "variety": f"Hydrangea {color}",
            "color": color,
            "grade": grade,
            "description": f"Hydrangea {grade} {color}",
            "stems_bunch": 1,
            "price": 1.10,
            "code": f"H{grade[0]}{_code(color)}",
        }

    def grower(self) -> dict:
        port = self.random_element(list(PORTS))
        country, suffix = PORTS[port]
        name = f"{self.random_element(GROWER_FIRST)} {self.random_element(GROWER_SECOND)} {suffix}"
        return {"name": name, "port": port, "country": country}

    def importer_customer(self, company_name: str) -> dict:
        kind, word = self.random_element(CUSTOMER_KINDS)
        base = self.generator.last_name()
        return {"name": f"{base} {word}", "type": kind, "city": self.generator.city()}

    def airline(self) -> tuple[str, str, str]:
        return self.random_element(AIRLINES)


OrderedKinds = ("rose", "rose", "rose", "rose", "spray", "carnation", "minicarnation", "hydrangea")


def _code(text: str) -> str:
    letters = "".join(ch for ch in text.upper() if ch.isalpha())
    return letters[:3]


def code_from_name(name: str, taken: set[str], width: int = 3) -> str:
    """A short upper-case code (vendor, customer), unique among `taken`."""
    words = [w for w in name.replace(".", " ").split() if w[0].isalpha()]
    base = "".join(w[0] for w in words[:width]).upper().ljust(width, "X")
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code)
    return code
