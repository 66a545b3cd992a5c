"""Who the customers are: Senegalese names, businesses, public bodies, phone numbers, e-mails, addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from yeelen.demo.population import CAT
from yeelen.demo.reference import (
    BUSINESS_KINDS,
    BUSINESS_NAMES,
    EMAIL_DOMAINS,
    EMINENT_NAMES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    INDUSTRIES,
    LAST_NAMES,
    MINISTRIES,
    MOBILE_PREFIXES,
    PUBLIC_BODIES,
    PUBLIC_MV_BODIES,
    Place,
)
from yeelen.demo.text import ascii_slug, assemble, concat, number, pick, weighted, where

PERSON, COMPANY, PUBLIC_BODY = 0, 1, 2
KINDS = ("person", "company", "public_body")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass
class Identities:
    """One entry per customer, in the order of the customers given."""

    kind: np.ndarray
    name: pa.Array
    first_name: pa.Array
    phone: pa.Array
    email: pa.Array
    grouping_code: pa.Array
    language: pa.Array


def customer_kind(rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
    """Person, company or public body from the customer's main contract category."""
    kind = np.full(category.size, PERSON, dtype=np.int64)
    kind[np.isin(category, [CAT["PRO"], CAT["EAU_PRO"], CAT["MT"]])] = COMPANY
    kind[np.isin(category, [CAT["ADM"], CAT["EP"], CAT["EAU_ADM"]])] = PUBLIC_BODY
    mv = np.flatnonzero(category == CAT["MT"])
    kind[mv[rng.random(mv.size) < 0.2]] = PUBLIC_BODY
    return kind


def _render(template: str, fields: dict[str, pa.Array]) -> pa.Array:
    parts: list[pa.Array | str] = []
    for position, piece in enumerate(_FIELD.split(template)):
        if position % 2:
            parts.append(fields[piece])
        elif piece:
            parts.append(piece)
    return concat(*parts)


def _phones(rng: np.random.Generator, kind: np.ndarray) -> pa.Array:
    n = kind.size
    prefixes = [prefix for prefix, _ in MOBILE_PREFIXES]
    mobile = pick(prefixes, weighted(rng, [share for _, share in MOBILE_PREFIXES], n))
    landline = (kind != PERSON) & (rng.random(n) < 0.3)
    prefix = where(
        landline,
        concat("33 8", number(rng.integers(0, 10, n))),
        concat(mobile, " ", number(rng.integers(1, 10, n)), number(rng.integers(0, 10, n))),
    )
    digits = rng.integers(0, 100_000, n)
    text = concat(
        "+221 ",
        prefix,
        number(digits // 10_000 % 10),
        " ",
        number(digits // 100 % 100, 2),
        " ",
        number(digits % 100, 2),
    )
    missing = rng.random(n) < np.select([kind == PERSON, kind == COMPANY], [0.08, 0.05], 0.25)
    return where(~missing, text, None)


def identify(
    rng: np.random.Generator,
    category: np.ndarray,
    agency: np.ndarray,
    area: np.ndarray,
    agencies: tuple[Place, ...],
) -> Identities:
    """Names, contacts and grouping of customers given their main category, agency and area."""
    n = category.size
    kind = customer_kind(rng, category)
    area_names = [name for place in agencies for name in place.areas]
    area_offset = np.cumsum([0] + [len(place.areas) for place in agencies])[:-1]
    area_text = pick(area_names, area_offset[agency] + area)
    area_slug = pick([ascii_slug(x) for x in area_names], area_offset[agency] + area)
    city = pick([place.city for place in agencies], agency)
    last_names = [name for name, _ in LAST_NAMES]
    last_index = weighted(rng, [w for _, w in LAST_NAMES], n)
    last = pick(last_names, last_index)
    female = rng.random(n) < 0.5
    first_index = np.where(
        female, rng.integers(0, len(FIRST_NAMES_FEMALE), n), rng.integers(0, len(FIRST_NAMES_MALE), n)
    )
    firsts = FIRST_NAMES_MALE + FIRST_NAMES_FEMALE
    first_index = first_index + np.where(female, len(FIRST_NAMES_MALE), 0)
    first = pick(firsts, first_index)
    eminent = pick(EMINENT_NAMES, rng.integers(0, len(EMINENT_NAMES), n))
    fancy_index = rng.integers(0, len(BUSINESS_NAMES), n)
    fancy = pick(BUSINESS_NAMES, fancy_index)

    names: list[tuple[np.ndarray, pa.Array]] = []
    groupings: list[tuple[np.ndarray, pa.Array]] = []
    slugs: list[tuple[np.ndarray, pa.Array]] = []
    last_slug = pick([ascii_slug(x) for x in last_names], last_index)
    fancy_slug = pick([ascii_slug(x) for x in BUSINESS_NAMES], fancy_index)

    people = np.flatnonzero(kind == PERSON)
    names.append((people, last.take(people)))
    groupings.append((people, pa.nulls(people.size, pa.string())))
    slugs.append(
        (people, concat(pick([ascii_slug(x) for x in firsts], first_index[people]), ".", last_slug.take(people)))
    )

    shops = np.flatnonzero((kind == COMPANY) & (category != CAT["MT"]))
    style = rng.random(shops.size)
    suffix = where(style < 0.45, last.take(shops), where(style < 0.8, fancy.take(shops), area_text.take(shops)))
    suffix_slug = where(
        style < 0.45, last_slug.take(shops), where(style < 0.8, fancy_slug.take(shops), area_slug.take(shops))
    )
    names.append((shops, concat(pick(BUSINESS_KINDS, rng.integers(0, len(BUSINESS_KINDS), shops.size)), " ", suffix)))
    groupings.append((shops, pa.nulls(shops.size, pa.string())))
    slugs.append((shops, concat("contact.", suffix_slug)))

    industry = np.flatnonzero((kind == COMPANY) & (category == CAT["MT"]))
    template = rng.integers(0, len(INDUSTRIES), industry.size)
    fancy_label = rng.random(industry.size) < 0.6
    label = where(fancy_label, fancy.take(industry), last.take(industry))
    rendered = [
        (industry[template == t], _render(INDUSTRIES[t], {"name": label.filter(pa.array(template == t))}))
        for t in range(len(INDUSTRIES))
    ]
    names += rendered
    groupings.append((industry, pa.array(["GRANDS_COMPTES"] * industry.size, pa.string())))
    slugs.append(
        (industry, concat("direction.", where(fancy_label, fancy_slug.take(industry), last_slug.take(industry))))
    )

    public = np.flatnonzero(kind == PUBLIC_BODY)
    fields = {"area": area_text, "city": city, "eminent": eminent}
    lighting = public[category[public] == CAT["EP"]]
    names.append(
        (lighting, concat("Commune de ", city.take(lighting), " - Éclairage public ", area_text.take(lighting)))
    )
    groupings.append((lighting, pa.array(["COMMUNE"] * lighting.size, pa.string())))
    large = public[category[public] == CAT["MT"]]
    bodies = public[(category[public] != CAT["EP"]) & (category[public] != CAT["MT"])]
    # Ministries sit in the Plateau.
    ministry = bodies[(np.array([p.code for p in agencies])[agency[bodies]] == "PLT") & (rng.random(bodies.size) < 0.4)]
    names.append((ministry, pick(MINISTRIES, rng.integers(0, len(MINISTRIES), ministry.size))))
    groupings.append((ministry, pa.array(["ETAT"] * ministry.size, pa.string())))
    for rows, catalogue in ((np.setdiff1d(bodies, ministry), PUBLIC_BODIES), (large, PUBLIC_MV_BODIES)):
        choice = rng.integers(0, len(catalogue), rows.size)
        for t, (text, grouping) in enumerate(catalogue):
            chosen = rows[choice == t]
            names.append((chosen, _render(text, {k: v.take(chosen) for k, v in fields.items()})))
            groupings.append((chosen, pa.array([grouping] * chosen.size, pa.string())))
    slugs.append((public, pa.nulls(public.size, pa.string())))

    slug = assemble(slugs, n)
    with_email = rng.random(n) < np.select([kind == PERSON, kind == COMPANY], [0.18, 0.5], 0.0)
    digits = rng.integers(0, 100, n)
    email = concat(
        slug,
        where(rng.random(n) < 0.5, number(digits, 2), ""),
        "@",
        pick(EMAIL_DOMAINS, rng.integers(0, len(EMAIL_DOMAINS), n)),
    )
    return Identities(
        kind=kind,
        name=assemble(names, n),
        first_name=where(kind == PERSON, first, None),
        phone=_phones(rng, kind),
        email=where(with_email & (kind != PUBLIC_BODY), email, None),
        grouping_code=assemble(groupings, n),
        language=where((kind == PERSON) & (rng.random(n) < 0.03), "en", "fr"),
    )


def addresses(rng: np.random.Generator, agency: np.ndarray, area: np.ndarray, agencies: tuple[Place, ...]) -> pa.Array:
    """Addresses as Dakar writes them: street numbers in the centre, villas in the cités, houses in the suburbs."""
    n = agency.size
    pieces: list[tuple[np.ndarray, pa.Array]] = []
    for a, place in enumerate(agencies):
        rows = np.flatnonzero(agency == a)
        where_ = pick(place.areas, area[rows])
        k = rows.size
        if place.address_style == "avenue":
            text = concat(number(rng.integers(1, 120, k)), ", ", where_, ", Dakar-Plateau")
        elif place.address_style == "rue":
            text = concat("Rue ", number(rng.integers(1, 40, k)), " x ", number(rng.integers(1, 40, k)), ", ", where_)
        elif place.address_style == "villa":
            text = concat("Villa n° ", number(rng.integers(1, 4000, k)), ", ", where_, ", ", place.city)
        else:
            text = concat("Maison n° ", number(rng.integers(1, 2500, k)), ", quartier ", where_, ", ", place.city)
        pieces.append((rows, text))
    return assemble(pieces, n)
