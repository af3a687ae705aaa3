"""Names and catalogue of the demo CDI: the people who left before this year, and about 300 records.

Plain data and the few rules that turn it into records (ISBN check digit, call numbers as CDIs
shelve them); ``demo_base`` uses it to build the demo library.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass


def strip_accents(text: str) -> str:
    """"LEFÈVRE Chloé" as a keyboard without accents types it: "LEFEVRE Chloe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- Names and catalogue ------------------------------------------------------------------------
# Names for the people who left (so none of them is in the file); accents as the registry writes them.

LAST_NAMES = (
    "VASSEUR", "LECOQ", "TESSIER", "CHARPENTIER", "DELAUNAY", "PASQUIER", "HÉBERT", "LEBLANC", "BRETON",
    "COUSIN", "GAUTHIER", "JOUBERT", "MAILLARD", "MOREL", "BESNARD", "CHAUVIN", "DUCHÊNE", "FERRAND",
    "GODARD", "HUMBERT", "JACQUET", "LACROIX", "LEMOINE", "MALLET", "NAVARRO", "OLLIVIER", "PICARD",
    "RENAUD", "SAUVAGE", "TORRES", "VIDAL", "BARBIER", "CHEVALIER", "DESCHAMPS", "ÉTIENNE", "FONTAINE",
    "GERMAIN", "HOARAU", "JOLIVET", "LAURENT", "MERCIER", "NOËL", "POIRIER", "RÉMY", "SCHMITT", "TRAORÉ",
    "VALETTE", "BENOÎT", "CARRÉ", "DUVAL", "GUILLOT", "LEGRAND", "MARÉCHAL", "PAYET", "RIGAUD", "TEXIER",
    "BOULANGER", "COLAS", "DUFOUR", "GRONDIN", "LECLERC", "MATHIEU", "PONS", "ROLLAND", "THÉVENIN",
    "AUBERT", "BLONDEL", "CORDIER", "DELMAS", "FOUCHER", "GIMENEZ", "LANGLOIS", "MARCHETTI", "PERRET",
    "RAYNAUD", "SALAÜN", "TANGUY", "VERDIER", "ZIMMERMANN", "KOWALSKI", "BENHAMOU", "DIALLO", "KONATÉ",
    "OUEDRAOGO", "FERREIRA", "RIBEIRO", "ESPOSITO", "LOMBARD", "BOUCHET", "CAMUS", "DIDIER", "LEVÊQUE",
)
BOYS = (
    "Adrien", "Alexis", "Antoine", "Arthur", "Baptiste", "Clément", "Dylan", "Élias", "Enzo", "Ethan",
    "Évan", "Florian", "Gabin", "Hugo", "Jérémy", "Jules", "Kylian", "Léo", "Loïc", "Lucas", "Maël",
    "Marius", "Mathéo", "Maxence", "Noé", "Noah", "Paul", "Raphaël", "Rayan", "Sacha", "Samuel", "Théo",
    "Timothée", "Valentin", "Yanis", "Younès", "Mamadou", "Ibrahim", "Tiago", "Anis",
)
GIRLS = (
    "Agathe", "Alicia", "Ambre", "Anaïs", "Apolline", "Capucine", "Célia", "Chloé", "Clémence", "Elsa",
    "Émilie", "Éva", "Inès", "Jade", "Jeanne", "Juliette", "Léna", "Léonie", "Lilou", "Lou", "Louane",
    "Maëlys", "Manon", "Margaux", "Maya", "Mélissa", "Nina", "Noémie", "Océane", "Romane", "Salomé",
    "Sarah", "Zoé", "Yasmine", "Fatoumata", "Aïcha", "Beatriz", "Héloïse", "Lyna", "Maëlle",
)
ADULT_FIRST_NAMES = ("Dominique", "Patrick", "Françoise", "Gérard", "Martine", "Thierry", "Nathalie", "Hervé")


@dataclass(frozen=True)
class CatalogueRecord:
    title: str
    authors: str
    publisher: str
    year: int
    isbn: str
    subjects: str
    call_number: str
    copies: int
    support: str = "Livre"
    reference: bool = False  # dictionaries: consulted in the CDI, never lent


# Genre (R roman, C contes, T théâtre, P poésie) | title | author | publisher | year | subjects
FICTION = """\
R|Le Petit Prince|Saint-Exupéry, Antoine de|Gallimard Jeunesse|2007|Amitié ; Voyage
R|L'Œil du loup|Pennac, Daniel|Nathan|2013|Zoo ; Afrique ; Amitié
R|Cabot-Caboche|Pennac, Daniel|Nathan|2012|Chien ; Famille
R|Kamo, l'agence Babel|Pennac, Daniel|Gallimard Jeunesse|2007|Collège ; Langues étrangères
R|Oh, boy !|Murail, Marie-Aude|L'École des loisirs|2000|Famille ; Fratrie ; Maladie
R|Simple|Murail, Marie-Aude|L'École des loisirs|2004|Handicap ; Fratrie
R|Miss Charity|Murail, Marie-Aude|L'École des loisirs|2008|Angleterre ; XIXe siècle
R|Malo de Lange, fils de voleur|Murail, Marie-Aude|L'École des loisirs|2009|Aventure ; XIXe siècle
R|Tobie Lolness. 1, La vie suspendue|Fombelle, Timothée de|Gallimard Jeunesse|2006|Fantastique ; Écologie
R|Tobie Lolness. 2, Les yeux d'Elisha|Fombelle, Timothée de|Gallimard Jeunesse|2007|Fantastique ; Écologie
R|Vango. 1, Entre ciel et terre|Fombelle, Timothée de|Gallimard Jeunesse|2010|Aventure ; Entre-deux-guerres
R|La quête d'Ewilan. 1, D'un monde à l'autre|Bottero, Pierre|Rageot|2003|Fantasy
R|La quête d'Ewilan. 2, Les frontières de glace|Bottero, Pierre|Rageot|2003|Fantasy
R|La quête d'Ewilan. 3, L'île du destin|Bottero, Pierre|Rageot|2003|Fantasy
R|La Passe-miroir. 1, Les fiancés de l'hiver|Dabos, Christelle|Gallimard Jeunesse|2013|Fantasy
R|La Passe-miroir. 2, Les disparus du Clairdelune|Dabos, Christelle|Gallimard Jeunesse|2015|Fantasy
R|La rivière à l'envers. 1, Tomek|Mourlevat, Jean-Claude|Pocket Jeunesse|2000|Conte ; Voyage
R|L'enfant Océan|Mourlevat, Jean-Claude|Pocket Jeunesse|1999|Fratrie ; Fugue
R|La sixième|Morgenstern, Susie|L'École des loisirs|1984|Collège ; Entrée en sixième
R|Un grand-père tombé du ciel|Hassan, Yaël|Casterman|1997|Grand-père ; Shoah
R|Le fantôme de maître Guillemin|Brisou-Pellen, Évelyne|Gallimard Jeunesse|1993|Moyen Âge ; Enquête
R|Le professeur a disparu|Arrou-Vignod, Jean-Philippe|Gallimard Jeunesse|1989|Enquête ; Collège
R|Enquête au collège|Arrou-Vignod, Jean-Philippe|Gallimard Jeunesse|1991|Enquête ; Collège
R|La bibliothécaire|Gudule|Hachette Jeunesse|1995|Lecture ; Fantastique
R|Sobibor|Molla, Jean|Gallimard Jeunesse|2003|Shoah ; Secret de famille
R|Cheval de guerre|Morpurgo, Michael|Gallimard Jeunesse|1982|Première Guerre mondiale ; Cheval
R|Le royaume de Kensuké|Morpurgo, Michael|Gallimard Jeunesse|1999|Naufrage ; Île
R|Harry Potter à l'école des sorciers|Rowling, J. K.|Gallimard Jeunesse|1998|Sorcellerie ; Fantastique
R|Harry Potter et la chambre des secrets|Rowling, J. K.|Gallimard Jeunesse|1999|Sorcellerie ; Fantastique
R|Harry Potter et le prisonnier d'Azkaban|Rowling, J. K.|Gallimard Jeunesse|1999|Sorcellerie ; Fantastique
R|Hunger Games. 1|Collins, Suzanne|Pocket Jeunesse|2009|Science-fiction ; Dystopie
R|Percy Jackson. 1, Le voleur de foudre|Riordan, Rick|Albin Michel Jeunesse|2008|Mythologie grecque
R|Wonder|Palacio, R. J.|Pocket Jeunesse|2013|Différence ; Harcèlement ; Collège
R|Le passeur|Lowry, Lois|L'École des loisirs|1994|Dystopie ; Mémoire
R|Alice au pays des merveilles|Carroll, Lewis|Gallimard Jeunesse|2009|Merveilleux ; Rêve
R|Le livre de la jungle|Kipling, Rudyard|Gallimard Jeunesse|2008|Inde ; Animaux
R|Les aventures de Tom Sawyer|Twain, Mark|Gallimard Jeunesse|2008|Mississippi ; Aventure
R|Poil de Carotte|Renard, Jules|Gallimard Jeunesse|2010|Enfance ; Famille
R|Sans famille|Malot, Hector|Le Livre de poche Jeunesse|2008|Orphelin ; XIXe siècle
R|Vendredi ou la vie sauvage|Tournier, Michel|Gallimard Jeunesse|1977|Robinson ; Île
R|Mondo et autres histoires|Le Clézio, J. M. G.|Gallimard|1982|Enfance ; Nouvelles
R|L'homme qui plantait des arbres|Giono, Jean|Gallimard Jeunesse|2002|Nature ; Provence
R|La gloire de mon père|Pagnol, Marcel|Éditions de Fallois|2004|Enfance ; Provence ; Autobiographie
R|Le château de ma mère|Pagnol, Marcel|Éditions de Fallois|2004|Enfance ; Provence ; Autobiographie
R|La guerre des boutons|Pergaud, Louis|Gallimard|1987|Enfance ; Campagne
R|Un sac de billes|Joffo, Joseph|Le Livre de poche|1982|Seconde Guerre mondiale ; Fuite
R|L'ami retrouvé|Uhlman, Fred|Gallimard|1978|Nazisme ; Amitié
R|Le journal d'Anne Frank|Frank, Anne|Le Livre de poche|2013|Shoah ; Journal intime
R|L'appel de la forêt|London, Jack|Gallimard Jeunesse|2010|Chien ; Grand Nord
R|Croc-Blanc|London, Jack|Gallimard Jeunesse|2010|Loup ; Grand Nord
R|L'île au trésor|Stevenson, Robert Louis|Gallimard Jeunesse|2008|Pirates ; Trésor
R|Frankenstein|Shelley, Mary|Le Livre de poche|2009|Fantastique ; Créature
R|Le tour du monde en quatre-vingts jours|Verne, Jules|Le Livre de poche Jeunesse|2008|Voyage ; Pari
R|Vingt mille lieues sous les mers|Verne, Jules|Le Livre de poche Jeunesse|2006|Océan ; Sous-marin
R|Voyage au centre de la Terre|Verne, Jules|Le Livre de poche Jeunesse|2006|Exploration ; Géologie
R|Les trois mousquetaires|Dumas, Alexandre|Le Livre de poche Jeunesse|2008|Cape et épée
R|Le mystère de la chambre jaune|Leroux, Gaston|Le Livre de poche|2011|Enquête ; Énigme
R|Arsène Lupin, gentleman-cambrioleur|Leblanc, Maurice|Le Livre de poche|2005|Cambrioleur ; Enquête
R|Le chien des Baskerville|Doyle, Arthur Conan|Gallimard Jeunesse|2009|Sherlock Holmes ; Enquête
R|Ils étaient dix|Christie, Agatha|Le Masque|2020|Enquête ; Huis clos
R|Les misérables. Cosette|Hugo, Victor|Gallimard Jeunesse|2009|XIXe siècle ; Misère
R|Claude Gueux|Hugo, Victor|Magnard|2013|Peine de mort ; Justice
R|Le Horla|Maupassant, Guy de|Magnard|2012|Fantastique ; Folie
R|Boule de suif|Maupassant, Guy de|Magnard|2011|Guerre de 1870 ; Nouvelle
R|La Vénus d'Ille|Mérimée, Prosper|Magnard|2010|Fantastique ; Statue
R|Mateo Falcone|Mérimée, Prosper|Magnard|2011|Corse ; Honneur
R|Au bonheur des dames|Zola, Émile|Le Livre de poche|2010|Grand magasin ; Paris
R|Lettres de mon moulin|Daudet, Alphonse|Le Livre de poche|2008|Provence ; Contes
R|Yvain ou le chevalier au lion|Chrétien de Troyes|Le Livre de poche Jeunesse|2009|Chevalerie ; Moyen Âge
R|Perceval ou le conte du Graal|Chrétien de Troyes|Gallimard Jeunesse|2010|Chevalerie ; Graal
R|Tristan et Iseut|Anonyme|Flammarion Jeunesse|2012|Amour ; Moyen Âge
R|Le roman de Renart|Anonyme|Hachette Jeunesse|2008|Renard ; Moyen Âge
R|L'Odyssée|Homère|Le Livre de poche Jeunesse|2009|Ulysse ; Mythologie grecque
R|Le lion|Kessel, Joseph|Gallimard|1958|Afrique ; Lion
R|No et moi|Vigan, Delphine de|Le Livre de poche|2007|Sans-abri ; Amitié
R|Le journal de Gurty|Santini, Bertrand|Sarbacane|2016|Chien ; Humour
R|Phobos. 1|Dixen, Victor|Robert Laffont|2015|Science-fiction ; Mars
R|Le vieux qui lisait des romans d'amour|Sepúlveda, Luis|Points|1992|Amazonie ; Nature
R|Mon bel oranger|Vasconcelos, José Mauro de|Le Livre de poche|1971|Enfance ; Brésil
R|La ferme des animaux|Orwell, George|Gallimard|1981|Fable politique ; Totalitarisme
R|Momo, petit prince des Bleuets|Hassan, Yaël|Syros|2003|Banlieue ; Amitié
R|Le garçon en pyjama rayé|Boyne, John|Gallimard Jeunesse|2006|Shoah ; Amitié
R|La guerre des clans. 1, Retour à l'état sauvage|Hunter, Erin|Pocket Jeunesse|2005|Chats ; Aventure
R|Autobiographie d'une Courgette|Paris, Gilles|Flammarion|2016|Foyer ; Enfance
R|Les orphelins Baudelaire. 1, Tout commence mal|Snicket, Lemony|Nathan|2002|Orphelins ; Humour noir
R|Le monde de Narnia. 1, Le neveu du magicien|Lewis, C. S.|Gallimard Jeunesse|2002|Fantasy
R|Bilbo le Hobbit|Tolkien, J. R. R.|Le Livre de poche|2012|Fantasy ; Dragon
R|À la croisée des mondes. 1, Les royaumes du Nord|Pullman, Philip|Gallimard Jeunesse|1998|Fantasy
R|Charlie et la chocolaterie|Dahl, Roald|Gallimard Jeunesse|2007|Chocolat ; Humour
R|Matilda|Dahl, Roald|Gallimard Jeunesse|2007|Lecture ; École
R|Les doigts rouges|Villard, Marc|Syros|1987|Enquête ; Meurtre
C|Contes de Perrault|Perrault, Charles|Gallimard Jeunesse|2005|Contes merveilleux
C|Contes de Grimm|Grimm, Jacob|Gallimard Jeunesse|2004|Contes merveilleux
C|Les contes du chat perché|Aymé, Marcel|Gallimard Jeunesse|1989|Ferme ; Animaux
C|Contes des mille et une nuits|Anonyme|Flammarion Jeunesse|2008|Orient ; Contes
C|Contes d'Afrique|Collectif|Flammarion Jeunesse|2006|Afrique ; Contes
T|Le médecin malgré lui|Molière|Magnard|2011|Comédie ; Farce
T|Les fourberies de Scapin|Molière|Magnard|2011|Comédie ; Valet
T|L'avare|Molière|Hatier|2012|Comédie ; Avarice
T|Cyrano de Bergerac|Rostand, Edmond|Le Livre de poche|1990|Comédie héroïque
T|Le bourgeois gentilhomme|Molière|Magnard|2012|Comédie-ballet
T|Le Cid|Corneille, Pierre|Magnard|2013|Tragi-comédie ; Honneur
P|Fables|La Fontaine, Jean de|Gallimard Jeunesse|2005|Fables ; Animaux
P|Paroles|Prévert, Jacques|Gallimard|1976|Poésie du XXe siècle
P|Poèmes à dire et à rêver|Collectif|Gallimard Jeunesse|2003|Anthologie
P|Les contemplations (extraits)|Hugo, Victor|Magnard|2010|Deuil ; Poésie romantique
P|Alcools|Apollinaire, Guillaume|Gallimard|2013|Poésie du XXe siècle
"""

# Series, authors, publisher, year of the first volume, volume titles in order.
COMICS = (
    ("Astérix", "Goscinny, René ; Uderzo, Albert", "Hachette", 1961, (
        "Astérix le Gaulois", "La serpe d'or", "Astérix et les Goths", "Astérix gladiateur",
        "Le tour de Gaule d'Astérix",
    )),
    ("Tintin", "Hergé", "Casterman", 1946, (
        "Le lotus bleu", "Le secret de La Licorne", "Le trésor de Rackham le Rouge", "Objectif Lune",
        "On a marché sur la Lune",
    )),
    ("Les légendaires", "Sobral, Patrick", "Delcourt", 2004, (
        "La pierre de Jovénia", "Le gardien", "Frères ennemis", "Le réveil du Kréa-Kaos",
    )),
    ("Seuls", "Gazzotti, Bruno ; Vehlmann, Fabien", "Dupuis", 2006, (
        "La disparition", "Le maître des couteaux", "Le clan du requin", "Les cinq conjurés",
    )),
    ("Les nombrils", "Delaf ; Dubuc, Maryse", "Dupuis", 2006, (
        "Pour le meilleur et pour le pire", "Sale temps pour les moches", "Duel de belles",
    )),
    ("Mortelle Adèle", "Mr Tan ; Le Feyer, Diane", "Tourbillon", 2012, (
        "Tout ça finira mal", "L'enfer, c'est les autres", "C'est pas ma faute !",
    )),
    ("Les vieux fourneaux", "Lupano, Wilfrid ; Cauuet, Paul", "Dargaud", 2014, (
        "Ceux qui restent", "Bonny and Pierrot",
    )),
    ("L'Arabe du futur", "Sattouf, Riad", "Allary", 2014, (
        "Une jeunesse au Moyen-Orient (1978-1984)", "1984-1985",
    )),
    ("One Piece", "Oda, Eiichirō", "Glénat", 2000, (
        "À l'aube d'une grande aventure", "Luffy versus la bande à Baggy", "Une vérité qui blesse",
    )),
    ("Naruto", "Kishimoto, Masashi", "Kana", 2002, (
        "Naruto Uzumaki", "Un client embarrassant", "Se battre pour ses rêves",
    )),
    ("Les cavaliers de l'apocadispe", "Libon", "Dupuis", 2014, (
        "Les cavaliers de l'apocadispe", "Mission apocalypse",
    )),
    ("Lou !", "Neel, Julien", "Glénat", 2004, (
        "Journal infime", "Mortebouse", "Le cimetière des autobus",
    )),
)

# Dewey | titles (two records on one subject, as a CDI buys them) | subjects
DOCUMENTARIES = """\
030|Le Petit Larousse illustré;Quid junior|Encyclopédie|REF
423|Le Robert collège;Dictionnaire Larousse des collèges|Dictionnaire ; Langue française|REF
443|Bescherelle, la conjugaison pour tous;Bescherelle, l'orthographe pour tous|Conjugaison ; Orthographe|REF
912|Atlas géographique du monde;Mon atlas du collège|Atlas ; Cartes|REF
004|Internet, mode d'emploi;Les réseaux sociaux sans danger|Internet ; Réseaux sociaux
070|Les médias et l'information;C'est quoi une fake news ?|Médias ; Désinformation
153|Apprendre à apprendre;La mémoire, comment ça marche ?|Mémoire ; Méthodes de travail
170|La philo à petits pas;Le bien et le mal|Philosophie ; Morale
200|Les grandes religions du monde;Dieux et religions|Religions
292|Les dieux de l'Olympe;Mythes et légendes de la Grèce antique|Mythologie grecque
305|Filles et garçons, égaux ?;Le racisme expliqué aux jeunes|Égalité ; Racisme
320|La République française;Les institutions de l'Union européenne|Institutions ; Citoyenneté
323|Les droits de l'enfant;La déclaration des droits de l'homme|Droits de l'homme ; Enfance
331|Les métiers de demain;Trouver son orientation après la 3e|Métiers ; Orientation
363|Le harcèlement, en parler;Les écrans et toi|Harcèlement ; Écrans
371|Le guide du collégien;Réussir son brevet|Collège ; Brevet
398|Contes et légendes de Bretagne;Contes et légendes des Antilles|Légendes ; Bretagne ; Antilles
500|Les grandes découvertes scientifiques;Les sciences en expériences|Sciences ; Expériences
510|Les maths, c'est magique !;Le monde des nombres|Mathématiques ; Nombres
520|Le ciel et les étoiles;Astronomie pour les débutants|Astronomie ; Étoiles
523|Le système solaire;Les planètes|Système solaire ; Planètes
530|La physique au quotidien;L'énergie|Physique ; Énergie
540|La chimie autour de nous;Atomes et molécules|Chimie
551|Les volcans;Séismes et tsunamis|Volcan ; Séisme
551.6|La météo;Le climat de la Terre|Météorologie ; Climat
553|Les roches et les minéraux;Le pétrole|Minéraux ; Ressources
560|Les fossiles;La préhistoire du vivant|Fossile ; Évolution
567.9|Les dinosaures;Le grand livre des dinosaures|Dinosaure
570|La biodiversité;L'évolution des espèces|Biodiversité ; Évolution
576|La génétique expliquée;L'ADN|Génétique ; ADN
577|Les écosystèmes;La forêt|Écologie ; Forêt
578|La vie dans les océans;Les récifs coralliens|Océan ; Corail
580|Les plantes;Les arbres de nos forêts|Botanique ; Arbre
590|Le monde animal;Les animaux en danger|Animaux ; Espèces menacées
595|Les insectes;Les abeilles|Insecte ; Abeille
597|Les requins;Les poissons du monde|Requin ; Poisson
598|Les oiseaux de nos jardins;Les rapaces|Oiseau
599|Les loups;Les grands singes|Loup ; Primates
610|Ton corps, mode d'emploi;Les secrets du corps humain|Corps humain ; Santé
612|Le cerveau;La puberté expliquée|Cerveau ; Puberté
613|Bien manger, bien grandir;Le sommeil|Alimentation ; Sommeil
616|Les virus et les bactéries;Les vaccins|Microbe ; Vaccin
620|Les inventions qui ont changé le monde;Les robots|Inventions ; Robot
621|L'électricité;Les énergies renouvelables|Électricité ; Énergie renouvelable
629|Les avions;La conquête spatiale|Aviation ; Espace
630|L'agriculture;De la ferme à l'assiette|Agriculture ; Alimentation
641|Cuisine du monde pour les jeunes;Mes premières recettes|Cuisine
700|L'histoire de l'art;Les grands peintres|Art ; Peinture
720|L'architecture;Les châteaux forts|Architecture ; Château fort
741.5|Comment dessiner des mangas;L'histoire de la bande dessinée|Dessin ; Bande dessinée
770|La photographie;Faire un film|Photographie ; Cinéma
780|Les instruments de musique;Histoire du rock|Musique ; Instrument
790|Les jeux Olympiques;Le football|Sport ; Jeux Olympiques
796|Le sport et toi;L'athlétisme|Sport ; Athlétisme
840|La littérature française en 100 œuvres;Les écrivains du XIXe siècle|Littérature française
910|Les explorateurs;Le tour du monde des pays|Exploration ; Géographie
914|La France et ses régions;Paris|France ; Régions
915|La Chine;Le Japon|Chine ; Japon
916|L'Afrique;L'Égypte d'aujourd'hui|Afrique ; Égypte
917|Les États-Unis;Le Canada|États-Unis ; Canada
918|L'Amazonie;L'Amérique latine|Amazonie ; Amérique du Sud
919|L'Antarctique;L'Australie|Antarctique ; Australie
930|La préhistoire;Lascaux|Préhistoire ; Art pariétal
932|L'Égypte ancienne;Les pharaons|Égypte ancienne ; Pharaon
937|La Rome antique;Les gladiateurs|Rome antique
938|La Grèce antique;Athènes au temps de Périclès|Grèce antique
940.1|Le Moyen Âge;Les chevaliers|Moyen Âge ; Chevalerie
940.2|La Renaissance;Les grandes découvertes|Renaissance ; Explorateurs
940.3|La Première Guerre mondiale;Les poilus|Première Guerre mondiale
940.53|La Seconde Guerre mondiale;La Résistance|Seconde Guerre mondiale ; Résistance
940.55|La guerre froide;La construction européenne|Guerre froide ; Europe
944|Histoire de France;Les rois de France|Histoire de France ; Monarchie
944.04|La Révolution française;Napoléon|Révolution française ; Empire
944.08|La Ve République;Les femmes et le droit de vote|République ; Droit de vote
909|L'esclavage et la traite;Les colonisations|Esclavage ; Colonisation
"""

DOCUMENTARY_PUBLISHERS = ("Milan", "Gallimard Jeunesse", "Nathan", "Fleurus", "Larousse", "Bayard Jeunesse",
                          "Belin", "De La Martinière Jeunesse", "Casterman", "Hachette Éducation")
REFERENCE_PUBLISHERS = {"Larousse": "Larousse", "Robert": "Le Robert", "Bescherelle": "Hatier",
                        "Quid": "Robert Laffont", "Atlas": "Nathan", "atlas": "Hachette Éducation"}
_ARTICLES = re.compile(r"^(?:(?:le|la|les|un|une|des|mon|l)\b\W*)+", re.IGNORECASE)


def _isbn(rng: random.Random) -> str:
    digits = [9, 7, 8, 2] + [rng.randrange(10) for _ in range(8)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def _shelf_code(text: str) -> str:
    """The three letters of a call number: the first author's family name, or the title's first
    word after its articles for a work without an author, as CDIs shelve them."""
    letters = [c for c in strip_accents(_ARTICLES.sub("", text)).upper() if c.isalpha()]
    return "".join(letters[:3])


def catalogue(rng: random.Random) -> list[CatalogueRecord]:
    """About 300 records: novels, tales, plays and poems, comics, and documentaries by Dewey class."""
    records = []
    for line in FICTION.splitlines():
        genre, title, authors, publisher, year, subjects = line.split("|")
        shelved_by = title if authors in ("Anonyme", "Collectif") else authors
        records.append(CatalogueRecord(title, authors, publisher, int(year), _isbn(rng), subjects,
                                       f"{genre} {_shelf_code(shelved_by)}", rng.choice((1, 1, 2, 2, 3))))
    for series, authors, publisher, year, volumes in COMICS:
        for number, volume in enumerate(volumes, start=1):
            records.append(CatalogueRecord(
                f"{series}. {number}, {volume}", authors, publisher, year + number - 1, _isbn(rng),
                f"Bande dessinée ; {series}", f"BD {_shelf_code(authors)}", rng.choice((1, 2)),
            ))
    for line in DOCUMENTARIES.splitlines():
        dewey, titles, subjects, *flags = line.split("|")
        for title in titles.split(";"):
            author = f"{rng.choice(LAST_NAMES).title()}, {rng.choice(ADULT_FIRST_NAMES + GIRLS)}"
            reference = flags == ["REF"]
            publisher = next((name for word, name in REFERENCE_PUBLISHERS.items() if word in title), "")
            publisher = publisher if reference else rng.choice(DOCUMENTARY_PUBLISHERS)
            records.append(CatalogueRecord(
                title, "" if reference else author, publisher, rng.randint(2008, 2024), _isbn(rng), subjects,
                f"{dewey} {_shelf_code(title if reference else author)}", 2 if reference else 1,
                reference=reference,
            ))
    return records
