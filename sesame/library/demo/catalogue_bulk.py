"""A larger demo catalogue: a few thousand plausible records on top of the demo CDI's 300 or so.

``demo_catalogue`` holds real titles, enough to show a record or a loan; a real CDI holds a few
thousand to twenty thousand records, and search, pagination and imports are only judged at that
size. The records here are made up from word lists by genre and Dewey class, with authors drawn
from the demo's names, French publishers, years, valid ISBN-13s and call numbers as CDIs shelve
them, and one to three copies each.

Everything comes from one seeded ``random.Random`` consumed in order, so record *n* is always the
same and the first *n* records of a longer run are those of a shorter one: adding up to a target
is idempotent (``bulk_catalogue_seed`` skips the records already there, by ISBN). The ISBNs use
the 979-10 prefix, which the hand-written demo records (978-2) never do, and the barcodes start at
02000000, far above the demo's, so the two never collide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.demo.catalogue import (
    ADULT_FIRST_NAMES,
    BOYS,
    GIRLS,
    LAST_NAMES,
    CatalogueRecord,
    strip_accents,
)
from sesame.library.models import Copy, CopyStatus, Library, Record

SEED = 20_260_301
MAX_RECORDS = 50_000
FIRST_BARCODE = 2_000_000
COPIES_PER_RECORD = 3  # barcodes are reserved three by three: record n owns 02000000 + 3n … + 2

# --- Word lists -------------------------------------------------------------------------------------

FICTION_HEADS = (
    "Le secret", "Le mystère", "L'énigme", "La malédiction", "Le trésor", "La légende", "Les disparus",
    "L'héritier", "La fugue", "Le dernier été", "Les ombres", "La promesse", "Le silence", "Les lumières",
    "Le journal", "La porte", "Le gardien", "Les enfants", "La nuit", "Le voyage", "Le cri", "La voix",
    "Les larmes", "Le retour", "La vérité",
)
FICTION_PLACES = (
    "de la forêt", "du phare", "de Montmartre", "de l'île aux Oiseaux", "du collège Victor-Hugo",
    "des Cévennes", "de Brocéliande", "du lac gelé", "de la rue des Lilas", "du vieux moulin",
    "de la vallée perdue", "du grenier", "de la falaise", "du marais", "des dunes", "du manoir",
    "de la tour Nord", "du quai des Brumes", "de l'étang noir", "des remparts", "du cirque Zanni",
    "de la gare d'Austerlitz", "du port de Concarneau", "de la cité engloutie", "du Grand Nord",
    "des montagnes rouges", "de la Loire", "du jardin suspendu", "de l'oncle Jules", "de Lisa",
)
COMPANIONS = (
    "le dragon", "la baleine", "les étoiles", "le loup blanc", "son grand-père", "le garçon d'à côté",
    "la fille du cirque", "le chat sans nom", "la mer", "le robot", "les fantômes", "le renard",
    "l'ours polaire", "la sorcière", "le géant", "les oiseaux", "le capitaine", "la licorne",
)
SEASONS = ("Nuit", "Hiver", "Été", "Tempête", "Silence", "Fugue", "Printemps", "Orage", "Automne",
           "Brouillard")
WHERE = (
    "à Marseille", "en Bretagne", "sur la ville", "au collège", "en Islande", "à Dakar", "sur la lande",
    "à Venise", "au bout du monde", "à la frontière", "sous les toits", "dans la tour",
)
FANTASY_WORLDS = ("Aldoria", "Kerléon", "Vaëlis", "Ombrelune", "Sylvaria", "Dorne-Haute", "Ysmir",
                  "Castelbrume", "Nérion", "Aubéfeu", "Thalassa", "Miraval")
FANTASY_SERIES = ("Les chroniques", "La saga", "Les gardiens", "L'héritière", "Les exilés", "La prophétie",
                  "Les portes", "Le royaume")
FANTASY_VOLUMES = ("L'éveil", "Le sceptre brisé", "La cité de cendres", "Le pacte", "Les terres interdites",
                   "La dernière flamme", "Le labyrinthe", "L'alliance", "Le sacrifice", "La reine des glaces",
                   "L'exil", "La bataille des brumes")
CRIME_TITLES = ("Meurtre", "Crime", "Disparition", "Vol", "Panique", "Alerte", "Chantage", "Piège", "Enquête",
                "Cambriolage")
CRIME_PLACES = ("à Honfleur", "au musée", "sous la neige", "au collège", "sur la plage", "à l'opéra",
                "dans le train de nuit", "au camping", "à la fête foraine", "au château", "sur le lac",
                "à la médiathèque", "dans la cour", "au zoo")
PLAY_TITLES = ("Le malade", "Les précieuses", "La farce", "Le valet", "La comédie", "Les fâcheux",
               "Le barbier", "L'intrigue", "La dispute", "Les amants")
PLAY_ENDS = ("imaginaires", "de village", "du marché", "de Séville", "du roi", "en trois actes", "masqués",
             "de minuit", "de la cour", "du dimanche")
POETRY_TITLES = ("Poèmes", "Chansons", "Haïkus", "Comptines", "Fables", "Rimes", "Odes", "Ballades")
POETRY_ENDS = ("pour la pluie", "du matin", "des quatre saisons", "à dire tout bas", "de la mer",
               "pour les jours gris", "des villes", "de l'enfance", "du chat", "sous la lune")
TALE_TITLES = ("Contes et légendes", "Contes", "Légendes", "Histoires", "Mythes")
TALE_ENDS = ("d'Auvergne", "de Provence", "du Japon", "du Maghreb", "des Andes", "de Corse", "de Russie",
             "des îles", "du Grand Nord", "d'Irlande", "de l'Inde", "de la Réunion", "d'Afrique de l'Ouest")
COMIC_NAMES = ("Les aventures de", "Les enquêtes de", "Le journal de", "La bande à", "Les exploits de",
               "Les mondes de", "Les voyages de")
COMIC_HEROES = ("Zoé Zouk", "Capitaine Nino", "Miss Pétard", "Gaspard", "Lila et Momo", "Super Léon",
                "la Brigade Pixel", "Tom et Pruneau", "Anouk", "l'agent 008½", "Nénette", "Rox le renard")
COMIC_VOLUMES = ("Le grand départ", "Panique à bord", "La nuit des robots", "Mission Lune",
                 "Le trésor oublié", "Rira bien qui rira", "Le retour", "Tous en piste",
                 "Vacances mouvementées", "L'invasion", "Coup de foudre", "Sauve qui peut")
MANGA_PUBLISHERS = ("Kana", "Glénat", "Pika", "Ki-oon", "Kurokawa")
MANGA_TITLES = ("Kaze no Michi", "Hoshi Academy", "Ryū Quest", "Sakura Blade", "Yume Runner", "Tengu Island",
                "Kitsune Club", "Mecha Heart")

# Dewey class | subject | topics ("les volcans": the titles read "Les volcans : …")
DEWEY = """\
004|Informatique|l'ordinateur;le codage;les jeux vidéo;l'intelligence artificielle;Internet
070|Médias|la presse;la télévision;les réseaux sociaux;la publicité
150|Psychologie|les émotions;la confiance en soi;le stress;l'amitié
170|Morale|le bien et le mal;la liberté;la justice;le respect
200|Religions|les religions du monde;les fêtes religieuses;les lieux sacrés
292|Mythologie|les dieux grecs;les héros de l'Antiquité;les monstres mythologiques;les dieux égyptiens
305|Société|l'égalité filles-garçons;les discriminations;les générations;la famille
320|Citoyenneté|la démocratie;les élections;la laïcité;l'Union européenne
330|Économie|l'argent;le travail;le commerce équitable;la consommation
340|Droit|la justice des mineurs;les droits de l'enfant;la loi
360|Santé publique|le harcèlement;les addictions;la sécurité routière;les secours
370|Éducation|l'école autrefois;l'école dans le monde;le brevet;l'orientation
390|Coutumes|les fêtes du monde;les costumes;les traditions de Noël
400|Langues|les langues du monde;l'écriture;l'alphabet
420|Anglais|l'anglais facile;les expressions anglaises
440|Langue française|l'orthographe;la grammaire;les mots d'origine étrangère;les expressions françaises
500|Sciences|les grandes découvertes;les expériences scientifiques;les savants
510|Mathématiques|les nombres;la géométrie;les énigmes mathématiques;les probabilités
520|Astronomie|les étoiles;les planètes;la Lune;les galaxies;les comètes
530|Physique|l'énergie;la lumière;le son;les aimants;l'électricité
540|Chimie|les atomes;les matériaux;l'eau;les couleurs
550|Sciences de la Terre|les volcans;les séismes;les glaciers;les roches;les grottes
551.6|Météorologie|le climat;les tempêtes;les nuages;le réchauffement climatique
560|Paléontologie|les dinosaures;les fossiles;les mammouths;l'évolution
570|Biologie|la cellule;la génétique;la biodiversité;les écosystèmes
580|Botanique|les arbres;les fleurs;les champignons;les plantes carnivores
590|Zoologie|les animaux de la ferme;les félins;les reptiles;les animaux de la nuit;les animaux polaires
595|Insectes|les abeilles;les fourmis;les papillons;les araignées
597|Animaux marins|les requins;les dauphins;les baleines;les poissons des récifs
598|Oiseaux|les rapaces;les oiseaux migrateurs;les manchots
610|Corps humain|le corps humain;le cœur;le squelette;les cinq sens;le sommeil
613|Santé|l'alimentation;le sport et la santé;l'hygiène
620|Techniques|les inventions;les robots;les ponts;les machines
629|Transports|les trains;les avions;les fusées;les voitures de demain
630|Agriculture|la ferme;les abeilles et le miel;le potager;l'élevage
640|Vie pratique|la cuisine;le bricolage;le jardinage;la couture
700|Arts|la peinture;la sculpture;l'art contemporain;le street art
720|Architecture|les châteaux;les cathédrales;les gratte-ciel;les maisons du monde
741.5|Bande dessinée|la bande dessinée;le manga;le dessin
770|Photographie|la photographie;le cinéma d'animation
780|Musique|les instruments;le jazz;le rap;l'orchestre
790|Loisirs|les jeux de société;le cirque;la magie
796|Sports|le football;le basket;la natation;le judo;le cyclisme;l'escalade
800|Littérature|les contes;la poésie;le théâtre;le roman policier
910|Géographie|les déserts;les fleuves;les montagnes;les îles;les villes du monde
914|Europe|la France;l'Italie;l'Espagne;le Royaume-Uni;l'Allemagne
915|Asie|la Chine;le Japon;l'Inde;le Viêt Nam
916|Afrique|le Sénégal;le Maroc;Madagascar;l'Égypte
917|Amérique du Nord|les États-Unis;le Canada;le Mexique
918|Amérique du Sud|le Brésil;l'Argentine;le Pérou
930|Antiquité|la préhistoire;l'Égypte des pharaons;la Grèce antique;Rome;les Gaulois
940.1|Moyen Âge|les chevaliers;les châteaux forts;les croisades;la vie au Moyen Âge
940.2|Temps modernes|la Renaissance;les grandes découvertes;Louis XIV
940.3|Première Guerre mondiale|la Grande Guerre;les tranchées;les poilus
940.53|Seconde Guerre mondiale|la Seconde Guerre mondiale;la Résistance;la Shoah;le débarquement
944|Histoire de France|la Révolution française;Napoléon;la Commune;la Ve République
"""
DOC_PATTERNS = (
    "{Topic} : comprendre et découvrir", "{Topic} en 100 questions", "{Topic}, mode d'emploi",
    "Tout savoir sur {topic}", "Le grand livre sur {topic}", "{Topic} : le guide du collégien",
    "Mon premier livre sur {topic}", "{Topic} : l'encyclopédie junior", "{Topic} : questions et réponses",
    "Dis, c'est quoi {topic} ?", "{Topic} : l'essentiel", "À la découverte de {topic}",
)
FICTION_PUBLISHERS = ("Gallimard Jeunesse", "L'École des loisirs", "Nathan", "Rageot", "Casterman", "Syros",
                      "Pocket Jeunesse", "Flammarion Jeunesse", "Hachette Romans", "Bayard Jeunesse",
                      "Thierry Magnier",
                      "Sarbacane", "Albin Michel Jeunesse", "Le Livre de poche Jeunesse", "Actes Sud Junior")
COMIC_PUBLISHERS = ("Dupuis", "Dargaud", "Casterman", "Delcourt", "Glénat", "Bamboo", "Soleil", "Kana",
                    "Le Lombard", "Rue de Sèvres")
DOC_PUBLISHERS = ("Milan", "Gallimard Jeunesse", "Nathan", "Fleurus", "Larousse", "Bayard Jeunesse", "Belin",
                  "De La Martinière Jeunesse", "Hachette Éducation", "Actes Sud Junior", "Usborne",
                  "Quelle histoire")
FICTION_SUBJECTS = {
    "novel": ("Amitié", "Famille", "Aventure", "Collège", "Secret", "Voyage", "Nature", "Deuil", "Amour",
              "Différence", "Harcèlement", "Mer", "Animaux"),
    "fantasy": ("Fantasy", "Magie", "Quête", "Dragon", "Monde imaginaire"),
    "crime": ("Enquête", "Roman policier", "Suspense", "Vol"),
}
# Genre weights, out of 100: a CDI's shelves are about half fiction and comics, half documentaries.
GENRES = (("novel", 24), ("fantasy", 8), ("crime", 8), ("play", 3), ("poetry", 3), ("tale", 4), ("comic", 12),
          ("manga", 4), ("documentary", 34))


def _dewey() -> list[tuple[str, str, tuple[str, ...]]]:
    rows = []
    for line in DEWEY.splitlines():
        dewey, subject, topics = line.split("|")
        rows.append((dewey, subject, tuple(topics.split(";"))))
    return rows


DEWEY_CLASSES = _dewey()


# --- Generation -----------------------------------------------------------------------------------


def bulk_isbn(index: int) -> str:
    """The ISBN-13 of generated record ``index``: 979-10, seven digits that never repeat, the key.

    ``index * 7919 mod 10**7`` is a permutation (7919 is prime to 10), so the numbers look scattered
    as real ones are, and two records never share one.
    """
    body = f"97910{(index * 7919 + 1_234_567) % 10_000_000:07d}"
    return body + isbn_rules.check_digit_13(body)


def bulk_barcodes(index: int, copies: int) -> list[str]:
    return [f"{FIRST_BARCODE + index * COPIES_PER_RECORD + n:08d}" for n in range(copies)]


def _shelf_code(text: str) -> str:
    """Three capital letters, as on a CDI's spine labels: PEN for "Pennac, Daniel"."""
    letters = [c for c in strip_accents(text).upper() if c.isalpha()]
    return "".join(letters[:3])


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class _Series:
    """A series keeps its authors and publisher; each new record is its next volume."""

    name: str
    authors: str
    publisher: str
    first_year: int
    volumes: int = 0


class _Generator:
    RETRIES = 12  # draws of a title before numbering it as another volume or edition

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.titles: set[str] = set()
        self.series: dict[str, _Series] = {}
        self.first_names = ADULT_FIRST_NAMES + GIRLS + BOYS

    def author(self) -> str:
        return f"{self.rng.choice(LAST_NAMES).title()}, {self.rng.choice(self.first_names)}"

    def unique(self, draw) -> str:
        """A title not used yet: drawn again a few times, then numbered ("… 2") past saturation."""
        for _ in range(self.RETRIES):
            title = draw()
            if title not in self.titles:
                break
        candidate, number = title, 1
        while candidate in self.titles:
            number += 1
            candidate = f"{title}. {number}"
        self.titles.add(candidate)
        return candidate

    def next_volume(self, name: str, authors, publishers: tuple[str, ...]) -> tuple[_Series, int]:
        series = self.series.get(name)
        if series is None:
            series = _Series(name, authors(), self.rng.choice(publishers), self.rng.randint(1995, 2022))
            self.series[name] = series
        series.volumes += 1
        return series, series.volumes

    def record(self, index: int) -> CatalogueRecord:
        rng = self.rng
        genres, weights = zip(*GENRES, strict=True)
        genre = rng.choices(genres, weights=weights)[0]
        copies = rng.choice((1, 1, 1, 2, 2, 3))
        year = rng.randint(1995, 2025)
        author = self.author()
        publisher = rng.choice(FICTION_PUBLISHERS)
        if genre in ("fantasy", "comic", "manga"):
            return self.series_record(index, genre, copies)
        if genre == "novel":
            def draw():
                pattern = rng.randrange(3)
                if pattern == 0:
                    return f"{rng.choice(FICTION_HEADS)} {rng.choice(FICTION_PLACES)}"
                if pattern == 1:
                    return f"{rng.choice(GIRLS + BOYS)} et {rng.choice(COMPANIONS)}"
                return f"{rng.choice(SEASONS)} {rng.choice(WHERE)}"
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["novel"], 2)), "R"
        elif genre == "crime":
            def draw():
                return f"{rng.choice(CRIME_TITLES)} {rng.choice(CRIME_PLACES)}"
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["crime"], 2)), "RP"
        elif genre == "play":
            def draw():
                return f"{rng.choice(PLAY_TITLES)} {rng.choice(PLAY_ENDS)}"
            subjects, code = "Théâtre ; Comédie", "T"
        elif genre == "poetry":
            def draw():
                return f"{rng.choice(POETRY_TITLES)} {rng.choice(POETRY_ENDS)}"
            subjects, code = "Poésie", "P"
        elif genre == "tale":
            def draw():
                return f"{rng.choice(TALE_TITLES)} {rng.choice(TALE_ENDS)}"
            subjects, code, author = "Contes ; Légendes", "C", "Collectif"
        else:
            dewey, subject, topics = rng.choice(DEWEY_CLASSES)

            def draw():
                topic, pattern = rng.choice(topics), rng.choice(DOC_PATTERNS)
                if "{Topic}" in pattern:
                    return pattern.replace("{Topic}", _capitalised(topic))
                return pattern.replace("{topic}", topic).replace("de le ", "du ").replace("de les ", "des ")
            publisher, subjects, code = rng.choice(DOC_PUBLISHERS), subject, dewey
            year = rng.randint(2005, 2025)
        title = self.unique(draw)
        shelved_by = title if author == "Collectif" else author
        return CatalogueRecord(
            title=title, authors=author, publisher=publisher, year=year, isbn=bulk_isbn(index),
            subjects=subjects, call_number=f"{code} {_shelf_code(shelved_by)}", copies=copies,
        )

    def series_record(self, index: int, genre: str, copies: int) -> CatalogueRecord:
        rng = self.rng
        if genre == "fantasy":
            world = rng.choice(FANTASY_WORLDS)
            of = "d'" if strip_accents(world[0]) in "AEIOUY" else "de "
            name = f"{rng.choice(FANTASY_SERIES)} {of}{world}"
            series, volume = self.next_volume(name, self.author, FICTION_PUBLISHERS)
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["fantasy"], 2)), "R"
            volumes = FANTASY_VOLUMES
        elif genre == "comic":
            name = f"{rng.choice(COMIC_NAMES)} {rng.choice(COMIC_HEROES)}"
            series, volume = self.next_volume(name, self.comic_authors, COMIC_PUBLISHERS)
            subjects, code, volumes = "Bande dessinée ; Humour", "BD", COMIC_VOLUMES
        else:
            name = rng.choice(MANGA_TITLES)
            series, volume = self.next_volume(name, self.manga_author, MANGA_PUBLISHERS)
            subjects, code, volumes = "Bande dessinée ; Manga", "BD", COMIC_VOLUMES
        title = self.unique(lambda: f"{series.name}. {volume}, {rng.choice(volumes)}")
        year = min(series.first_year + (volume - 1) // 2, 2025)  # about two volumes a year
        return CatalogueRecord(
            title=title, authors=series.authors, publisher=series.publisher, year=year, isbn=bulk_isbn(index),
            subjects=subjects, call_number=f"{code} {_shelf_code(series.authors)}", copies=copies,
        )

    def comic_authors(self) -> str:
        """A scriptwriter and an artist."""
        return f"{self.author()} ; {self.author()}"

    def manga_author(self) -> str:
        family = self.rng.choice(("Tanaka", "Sato", "Suzuki", "Ito", "Mori", "Okada", "Kobayashi", "Yamada"))
        return f"{family}, {self.rng.choice(('Hiro', 'Yuki', 'Aiko', 'Ken', 'Mei', 'Sora', 'Rin', 'Daichi'))}"


def bulk_records(count: int) -> list[CatalogueRecord]:
    """The first ``count`` generated records; the same list, in the same order, on every run."""
    generator = _Generator()
    return [generator.record(index) for index in range(min(count, MAX_RECORDS))]


# --- Loading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkSeedResult:
    added_records: int
    added_copies: int
    total_records: int


@transaction.atomic
def bulk_catalogue_seed(*, library: Library, target: int) -> BulkSeedResult:
    """Add generated records (and their copies) until the library holds ``target`` records.

    Records already there (same ISBN) are skipped, so running it again adds nothing, and a larger
    target adds only the next records. A barcode someone else took is left out rather than fail.
    """
    target = min(target, MAX_RECORDS)
    Library.objects.select_for_update().filter(pk=library.pk).first()
    existing = Record.objects.filter(library=library).count()
    if existing >= target:
        return BulkSeedResult(0, 0, existing)
    isbns = set(Record.objects.filter(library=library).values_list("isbn", flat=True))
    barcodes = set(Copy.objects.filter(library=library).values_list("barcode", flat=True))
    wanted = target - existing
    chosen: list[tuple[int, CatalogueRecord]] = []
    # Only records already present are skipped, and there are at most ``existing`` of them, so the
    # first ``target`` generated records always suffice.
    for index, item in enumerate(bulk_records(target)):
        if item.isbn not in isbns:
            chosen.append((index, item))
            if len(chosen) == wanted:
                break
    records = Record.objects.bulk_create(
        [Record(library=library, title=item.title, authors=item.authors, publisher=item.publisher,
                year=item.year, isbn=item.isbn, subjects=item.subjects, support=item.support,
                call_number=item.call_number) for _, item in chosen],
        batch_size=500,
    )
    copies = [
        Copy(library=library, record=record, barcode=barcode, status=CopyStatus.AVAILABLE)
        for record, (index, item) in zip(records, chosen, strict=True)
        for barcode in bulk_barcodes(index, item.copies) if barcode not in barcodes
    ]
    Copy.objects.bulk_create(copies, batch_size=1000)
    return BulkSeedResult(len(records), len(copies), existing + len(records))
