"""A labelled evaluation set for claim matching, made up for the tests.

ARTICLES: ten made-up articles, each a list of the claims it states (every
claim is one sentence of the article and is published). REWORDED: for 40 of
those claims, the same claim in other words (synonyms, reordered, numbers
written out, another speaker's phrasing), with the (article, claim) index it
must find. UNMATCHED: 20 claims that nothing in the set checks, several of
them on the same topics, so that a topic alone is not a match.
"""

from __future__ import annotations

ARTICLES: list[tuple[str, list[str]]] = [
    (
        "NATO summit ends without new commitments",
        [
            "A no-fly zone over Ukraine is not on NATO's agenda.",
            "NATO members spend on average 2.1 percent of their GDP on defence.",
            "Sweden joined the alliance in March 2024.",
            "The alliance has 32 member states.",
            "Russia's navy lost a third of its Black Sea fleet since 2022.",
            "The secretary general said no troops would be sent to Ukraine.",
        ],
    ),
    (
        "Unemployment figures spark row in parliament",
        [
            "Unemployment fell to 4 percent last year.",
            "Youth unemployment is twice as high as the national rate.",
            "The government created 500,000 new jobs since the last election.",
            "Half of the new jobs are part-time contracts.",
            "The minimum wage rose by 9 percent in April.",
            "Wages have not kept pace with inflation for three years.",
        ],
    ),
    (
        "Hospital waiting lists at record high",
        [
            "Seven million patients are waiting for hospital treatment.",
            "One in ten nurse posts is vacant.",
            "Spending on the health service has doubled in twenty years.",
            "Ambulance response times for heart attacks average 45 minutes.",
            "The number of hospital beds has fallen by a quarter since 2010.",
            "Cancer survival rates are the lowest in western Europe.",
        ],
    ),
    (
        "Heatwave and drought hit the south",
        [
            "Last summer was the hottest ever recorded in the country.",
            "Reservoirs are at 30 percent of their capacity.",
            "Wildfires destroyed 50,000 hectares of forest this year.",
            "Sea levels have risen 20 centimetres since 1900.",
            "Coal still produces a fifth of the country's electricity.",
            "Electric cars made up 15 percent of new car sales.",
        ],
    ),
    (
        "Crime statistics debated ahead of the vote",
        [
            "Violent crime has dropped by 10 percent in five years.",
            "Knife crime in the capital is at its highest level in a decade.",
            "There are 20,000 fewer police officers than in 2010.",
            "Most burglaries are never solved.",
            "Prisons are holding 98 percent of their capacity.",
            "Immigrants commit more crimes than citizens.",
        ],
    ),
    (
        "Schools face funding squeeze",
        [
            "Class sizes are the largest in the OECD.",
            "A quarter of teachers leave the profession within five years.",
            "School funding per pupil has fallen in real terms since 2015.",
            "Free school meals reach one child in five.",
            "Reading scores of ten-year-olds improved in the latest survey.",
            "University tuition fees tripled in 2012.",
        ],
    ),
    (
        "Energy bills and the price cap",
        [
            "Household energy bills have doubled in two years.",
            "The country imports 40 percent of its natural gas.",
            "Wind power generated more electricity than gas for the first time.",
            "The price cap saves the average family 500 euros a year.",
            "Nuclear plants provide a third of the electricity supply.",
            "Petrol prices reached 2 euros a litre in June.",
        ],
    ),
    (
        "Housing crisis deepens",
        [
            "The average house costs nine times the average salary.",
            "Rents went up 12 percent in the capital last year.",
            "Only 150,000 new homes were built last year.",
            "Homelessness has risen every year for a decade.",
            "Foreign buyers own one in five flats in the city centre.",
            "Mortgage rates are at their highest since 2008.",
        ],
    ),
    (
        "Vaccination campaign under scrutiny",
        [
            "Measles vaccination coverage dropped below 90 percent.",
            "The flu vaccine prevents half of hospital admissions among the elderly.",
            "Vaccines cause autism.",
            "The country ordered twice as many vaccine doses as it needed.",
            "Measles cases rose fivefold in a year.",
            "Side effects are reported in fewer than one in 10,000 doses.",
        ],
    ),
    (
        "Trade deal promises growth",
        [
            "The trade deal will add 1 percent to economic growth.",
            "Exports to the United States fell by 8 percent.",
            "The trade deficit reached a record 40 billion last year.",
            "Farmers receive a third of their income from subsidies.",
            "Tariffs on steel were doubled in January.",
            "China is now the country's largest trading partner.",
        ],
    ),
]

# (query, (article index, claim index))
REWORDED: list[tuple[str, tuple[int, int]]] = [
    ("NATO is not considering a no-fly zone over Ukraine", (0, 0)),
    ("Alliance members devote about two percent of GDP to their militaries", (0, 1)),
    ("In March 2024 Sweden became a member of NATO", (0, 2)),
    ("There are thirty-two countries in NATO", (0, 3)),
    ("The NATO chief ruled out sending soldiers to Ukraine", (0, 5)),
    ("The jobless rate dropped to four percent last year", (1, 0)),
    ("Young people are twice as likely to be unemployed as everyone else", (1, 1)),
    ("Half a million jobs were created since the previous election", (1, 2)),
    ("Pay has lagged behind rising prices for three years", (1, 5)),
    ("The minimum wage went up nine percent in April", (1, 4)),
    ("7 million people are on waiting lists for hospital care", (2, 0)),
    ("Ten percent of nursing jobs are unfilled", (2, 1)),
    ("Health spending has doubled over two decades", (2, 2)),
    ("Hospitals have a quarter fewer beds than in 2010", (2, 4)),
    ("Western Europe has no country with worse cancer survival", (2, 5)),
    ("This was the warmest summer on record", (3, 0)),
    ("Fires burned fifty thousand hectares of woodland", (3, 2)),
    ("One fifth of our power still comes from coal", (3, 4)),
    ("Fifteen percent of new cars sold are electric", (3, 5)),
    ("Reservoirs are only a third full", (3, 1)),
    ("Violent crime is down ten percent over five years", (4, 0)),
    ("The police force has twenty thousand fewer officers than in 2010", (4, 2)),
    ("The majority of burglaries go unsolved", (4, 3)),
    ("Migrants are more likely to commit crimes than citizens", (4, 5)),
    ("Our jails are almost full", (4, 4)),
    ("A quarter of new teachers quit within five years", (5, 1)),
    ("Per-pupil funding for schools has dropped in real terms since 2015", (5, 2)),
    ("One in five children gets a free meal at school", (5, 3)),
    ("Tuition fees at universities were tripled in 2012", (5, 5)),
    ("Energy bills for households are twice what they were two years ago", (6, 0)),
    ("Forty percent of the natural gas we use is imported", (6, 1)),
    ("For the first time wind turbines produced more power than gas", (6, 2)),
    ("A litre of petrol cost two euros in June", (6, 5)),
    ("Homes cost nine times the average wage", (7, 0)),
    ("Rent in the capital rose by twelve percent last year", (7, 1)),
    ("Homelessness has gone up each year for ten years", (7, 3)),
    ("Vaccination causes autism in children", (8, 2)),
    ("Fewer than 90 percent of children are vaccinated against measles", (8, 0)),
    ("The deal with our trading partners will boost growth by one percent", (9, 0)),
    ("Steel tariffs were raised twofold in January", (9, 4)),
]

UNMATCHED: list[str] = [
    "NATO will admit Georgia next year.",
    "The defence minister resigned over the submarine contract.",
    "Unemployment benefits will be cut by a third.",
    "The pension age will rise to 70.",
    "Dentists are refusing new patients in most regions.",
    "The hospital in the north will close next month.",
    "Glaciers in the Alps could disappear by 2050.",
    "Solar panels will be mandatory on new buildings.",
    "The mayor promised to ban cars from the old town.",
    "Shoplifting is no longer prosecuted.",
    "Homework will be abolished in primary schools.",
    "The school year will start two weeks earlier.",
    "The football team won the championship for the third time.",
    "Broadband reaches every village in the country.",
    "The central bank will introduce a digital currency.",
    "Tourism brought in a record number of visitors to the islands.",
    "A new high-speed rail line will link the two largest cities.",
    "The museum returned stolen artefacts to their country of origin.",
    "Bees are disappearing because of mobile phone masts.",
    "The royal family costs each taxpayer one euro a year.",
]
