"""Names, streets and towns the demo collège draws from.

Kept apart from the generator so that the lists can grow without hiding its logic. Last names
are written the way SIECLE and STS hand them over (upper case, accents kept); first names in
normal case. The pools mix the names a French collège really sees, including the ones that
break naive code: spaces, apostrophes, hyphens, accents and diaereses.
"""

from typing import NamedTuple


class NamePool(NamedTuple):
    """The names of one family background: family names, then first names by generation and sex."""

    weight: int
    last_names: tuple[str, ...]
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    men: tuple[str, ...]
    women: tuple[str, ...]


POOLS: dict[str, NamePool] = {
    "france": NamePool(
        weight=64,
        last_names=(
            "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
            "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
            "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
            "LEFEBVRE", "FAURE", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER",
            "FRANÇOIS", "LEGRAND", "GAUTHIER", "PERRIN", "ROBIN", "CLÉMENT", "MORIN", "NICOLAS",
            "HENRY", "ROUSSEL", "MATHIEU", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "LEMAIRE",
            "NOËL", "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIÈRE", "BRUNET",
            "GAILLARD", "BARBIER", "ARNAUD", "GÉRARD", "ROCHE", "RENARD", "ROY", "LEROUX", "COLIN",
            "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS",
            "LACROIX", "OLIVIER", "BOURGEOIS", "BENOÎT", "REY", "LECLERC", "ROLLAND", "GUILLAUME",
            "LECOMTE", "HUBERT", "BERGER", "CARPENTIER", "DESCHAMPS", "HUET", "VASSEUR", "BOUCHER",
            "FLEURY", "ROYER", "JACQUET", "POIRIER", "MARTY", "AUBRY", "GUYOT", "CARRÉ", "MÉNARD",
            "MAILLARD", "BARON", "BERTIN", "BAILLY", "HERVÉ", "LE GALL", "LE ROUX", "LE GOFF",
            "LE BRIS", "COLLET", "LÉGER", "BOUVIER", "PRÉVOST", "PERROT", "BRETON", "BESSON", "LANGLOIS",
            "RÉMY", "PELLETIER", "LÉVÊQUE", "LEBRUN", "HAMON", "BOULANGER", "MONNIER", "GUICHARD",
            "ÉTIENNE", "TESSIER", "CHAUVIN", "LEMAÎTRE", "MARÉCHAL", "HUMBERT", "BARTHÉLEMY", "LAMY",
            "DE LA FONTAINE", "DE SAINT-EXUPÉRY", "DU PONT DE NEMOURS", "DUPONT-MOREAU", "SCHMITT",
            "MEYER", "KLEIN", "WEBER", "SCHNEIDER", "PAYET", "HOARAU", "GRONDIN",
        ),
        boys=(
            "Gabriel", "Léo", "Raphaël", "Louis", "Lucas", "Jules", "Adam", "Hugo", "Arthur", "Nathan",
            "Maël", "Noah", "Paul", "Sacha", "Tom", "Timéo", "Aaron", "Nolan", "Enzo", "Théo", "Mathis",
            "Axel", "Noé", "Ethan", "Kylian", "Baptiste", "Jean-Baptiste", "Marius", "Gabin", "Évan",
            "Malo", "Clément", "Valentin", "Antoine", "Victor", "Martin", "Robin", "Maxence", "Loïc",
            "Pierre-Louis", "Côme", "Anatole", "Esteban", "Lenny", "Kévin", "Joachim",
        ),
        girls=(
            "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Léa", "Rose", "Anna", "Mila", "Inès",
            "Ambre", "Julia", "Zoé", "Manon", "Lou", "Léna", "Camille", "Agathe", "Juliette", "Romane",
            "Lola", "Clémence", "Maëlys", "Anaïs", "Océane", "Loïs", "Marie-Ève", "Maëlle", "Héloïse",
            "Capucine", "Salomé", "Noémie", "Éléna", "Margaux", "Clara", "Lisa", "Mathilde", "Pauline",
            "Marie-Lou", "Lou-Ann", "Anne-Lise", "Apolline", "Élise", "Gaëlle", "Jeanne",
        ),
        men=(
            "Philippe", "Christophe", "Stéphane", "Frédéric", "Laurent", "Olivier", "Nicolas", "David",
            "Sébastien", "Éric", "Thierry", "Pascal", "Jérôme", "Julien", "Vincent", "Franck",
            "Jean-Luc", "Jean-Marc", "Jean-François", "Pierre-Yves", "Jean-Philippe", "Cédric",
            "Grégory", "Mickaël", "Yannick", "Hervé", "Bruno", "Patrick", "François", "Guillaume",
            "Benoît", "Loïc", "Gaël", "Joël", "Fabrice", "Arnaud", "Damien", "Anthony", "Romain",
        ),
        women=(
            "Nathalie", "Isabelle", "Sylvie", "Catherine", "Céline", "Stéphanie", "Sandrine", "Valérie",
            "Véronique", "Christine", "Aurélie", "Sophie", "Karine", "Émilie", "Julie", "Virginie",
            "Laëtitia", "Élodie", "Marie-Christine", "Anne-Laure", "Marie-Hélène", "Hélène", "Caroline",
            "Audrey", "Delphine", "Magali", "Séverine", "Anne-Sophie", "Géraldine", "Mélanie", "Claire",
            "Agnès", "Cécile", "Ophélie", "Marion",
        ),
    ),
    "maghreb": NamePool(
        weight=12,
        last_names=(
            "BENALI", "HADDAD", "BOUAZIZ", "BEN SALEM", "EL AMRANI", "EL HADDAD", "AÏT OUALI",
            "BENSAÏD", "MANSOURI", "CHERIF", "BOUZIDI", "HAMIDI", "KACI", "BELKACEM", "SAÏDI",
            "BEN YOUSSEF", "AIT-AHMED", "ZERROUKI", "MEZIANE", "LAHLOU",
        ),
        boys=("Adam", "Rayan", "Yanis", "Ilyes", "Mohamed", "Ibrahim", "Sami", "Nassim", "Amine", "Ayoub",
              "Bilal", "Idriss", "Karim", "Younès", "Anas"),
        girls=("Inaya", "Lina", "Nour", "Aya", "Sarah", "Yasmine", "Inès", "Assia", "Salma", "Maryam",
               "Kenza", "Lyna", "Camélia", "Rania", "Imène"),
        men=("Karim", "Mohamed", "Rachid", "Mehdi", "Nabil", "Farid", "Samir", "Youssef", "Abdelkader",
             "Hicham", "Mourad", "Saïd"),
        women=("Fatima", "Nadia", "Samira", "Amina", "Leïla", "Malika", "Karima", "Naïma", "Souad",
               "Yasmina", "Houria", "Fatiha"),
    ),
    "afrique": NamePool(
        weight=7,
        last_names=(
            "N'DIAYE", "DIALLO", "TRAORÉ", "KONATÉ", "N'GUESSAN", "DIOP", "SY", "CAMARA", "MENDY",
            "KOUASSI", "SISSOKO", "COULIBALY", "BAMBA", "M'BAPPÉ", "FOFANA", "KEÏTA",
        ),
        boys=("Moussa", "Mamadou", "Ibrahima", "Ousmane", "Adama", "Samba", "Issa", "Aboubacar", "Kylian",
              "Noah", "Elijah", "Yohan"),
        girls=("Awa", "Aminata", "Fatoumata", "Mariam", "Kadiatou", "Aïssatou", "Binta", "Naomie",
               "Grâce", "Océane", "Hawa", "Djeneba"),
        men=("Mamadou", "Ibrahima", "Abdoulaye", "Seydou", "Moussa", "Amadou", "Souleymane", "Jean-Claude",
             "Serge"),
        women=("Fatoumata", "Aminata", "Mariama", "Kadiatou", "Awa", "Rokia", "Nafissatou", "Bintou",
               "Marie-Claire"),
    ),
    "lusophone": NamePool(
        weight=6,
        last_names=(
            "DA SILVA", "DOS SANTOS", "FERREIRA", "PEREIRA", "RODRIGUES", "DE OLIVEIRA", "D'ALMEIDA",
            "GOMES", "MARTINS", "FERNANDES", "DA COSTA", "LOPES", "GONÇALVES", "CARVALHO",
        ),
        boys=("Tiago", "Rafael", "Diogo", "Lucas", "Enzo", "Gabriel", "Mateo", "Rodrigo", "Hugo", "Nuno"),
        girls=("Inês", "Beatriz", "Lara", "Mariana", "Léa", "Carolina", "Sofia", "Eva", "Leonor", "Maria"),
        men=("José", "João", "Manuel", "António", "Paulo", "Carlos", "Luís", "Fernando", "Ricardo"),
        women=("Maria", "Ana", "Fernanda", "Sandra", "Cristina", "Paula", "Isabel", "Sónia", "Conceição"),
    ),
    "asie": NamePool(
        weight=4,
        last_names=("NGUYEN", "TRAN", "PHAM", "LE", "VO", "HOANG", "CHEN", "WANG", "LI", "ZHANG", "LIN"),
        boys=("Thomas", "Kevin", "Lucas", "Minh", "Duc", "Hao", "Ryan", "Nathan", "Léo"),
        girls=("Emma", "Linh", "Mai", "Lan", "Chloé", "Jade", "Lisa", "Anh"),
        men=("Minh", "Duc", "Tuan", "Wei", "Jun", "Hung", "Thierry", "Laurent"),
        women=("Thi Lan", "Mai", "Hoa", "Mei", "Ling", "Thu", "Christine", "Sophie"),
    ),
    "europe": NamePool(
        weight=7,
        last_names=(
            "MÜLLER", "KOWALSKI", "O'BRIEN", "O'CONNOR", "GARCIA", "MARTINEZ", "LOPEZ", "SANCHEZ",
            "FERNANDEZ", "RODRIGUEZ", "ROSSI", "RUSSO", "ESPOSITO", "YILMAZ", "KAYA", "ÇELIK",
            "VAN DEN BERGHE", "NOWAK", "POPESCU", "IVANOV", "SCHRÖDER",
        ),
        boys=("Lucas", "Mateo", "Luca", "Liam", "Hugo", "Emre", "Enzo", "Aleksander", "Kévin", "Tobias"),
        girls=("Zoé", "Chloé", "Elif", "Giulia", "Sofia", "Emma", "Lucía", "Ana", "Nina", "Zeynep"),
        men=("Marco", "Antonio", "Sean", "Mehmet", "Piotr", "Andreas", "Francisco", "Javier", "Jean-Pierre"),
        women=("Maria", "Ayşe", "Anna", "Katarzyna", "Siobhán", "Elena", "Carmen", "Ioana", "Sabine"),
    ),
}

# Streets and nearby towns of the (imaginary) catchment area, with real postal codes.
STREETS = (
    "rue des Lilas", "avenue Jean Jaurès", "chemin du Moulin", "allée des Tilleuls", "rue Victor Hugo",
    "impasse Saint-Exupéry", "place de l'Église", "rue de la République", "boulevard Pasteur",
    "rue Émile Zola", "rue des Écoles", "chemin des Vignes", "rue du 8 Mai 1945", "rue d'Alsace",
    "avenue de l'Europe", "rue Louis Pergaud", "allée Marie Curie", "rue du Dauphiné",
)
TOWNS = (
    ("69100", "Villeurbanne"), ("69100", "Villeurbanne"), ("69100", "Villeurbanne"),
    ("69120", "Vaulx-en-Velin"), ("69500", "Bron"), ("69150", "Décines-Charpieu"),
    ("69003", "Lyon"),
)

