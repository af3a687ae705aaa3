"""Word lists of the large demo catalogue: titles by genre, Dewey classes and their topics, publishers.

Plain data for ``catalogue_bulk``, which draws the records from it with one seeded generator:
changing a list changes every generated record after the first use of it.
"""

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
