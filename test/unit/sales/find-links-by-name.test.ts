import { describe, expect, it } from 'vitest';
import { editDistance, matchLinksByName, type NamedLink } from '../../../src/sales/find-links-by-name.js';

function named(id: string, productName: string): NamedLink {
  return { id, productName, productNameKey: productName.normalize('NFKC').toLowerCase() };
}

const links = [named('a', 'Coffee Beans'), named('b', 'Coffee Mug'), named('c', 'コーヒー豆'), named('d', 'Green Tea'), named('e', 'Tea Set')];

describe('matchLinksByName', () => {
  it.each([
    ['Coffee Beans', 'a'],
    ['coffee beans', 'a'],
    ['  COFFEE   BEANS ', 'a'],
    ['Ｃｏｆｆｅｅ　Ｂｅａｎｓ', 'a'],
    ['ｺｰﾋｰ豆', 'c'],
    ['green tea', 'd'],
  ])('finds %j exactly (case, width and spacing ignored)', (query, id) => {
    expect(matchLinksByName(query, links)).toEqual({ kind: 'one', link: links.find((link) => link.id === id) });
  });

  it('prefers the exact name over names containing it', () => {
    const withPlural = [named('x', 'Tea Sets'), named('y', 'Tea Set')];
    expect(matchLinksByName('tea set', withPlural)).toMatchObject({ kind: 'one', link: { id: 'y' } });
  });

  it('takes a single partial match as that link', () => {
    expect(matchLinksByName('mug', links)).toMatchObject({ kind: 'one', link: { id: 'b' } });
    expect(matchLinksByName('coffeebeans', links)).toMatchObject({ kind: 'one', link: { id: 'a' } });
  });

  it('offers every link containing the words when several do, newest first', () => {
    expect(matchLinksByName('coffee', links)).toEqual({ kind: 'several', links: [links[0], links[1]] });
    expect(matchLinksByName('TEA', links)).toMatchObject({ kind: 'several', links: [{ id: 'd' }, { id: 'e' }] });
  });

  it('suggests the closest names when nothing matches', () => {
    const match = matchLinksByName('Cofee Beens', links);
    expect(match.kind).toBe('none');
    expect(match.kind === 'none' && match.suggestions[0]?.id).toBe('a');
    expect(matchLinksByName('green te', links)).toMatchObject({ kind: 'one', link: { id: 'd' } });
    expect(matchLinksByName('gren tea', links)).toMatchObject({ kind: 'none', suggestions: [{ id: 'd' }] });
  });

  it('suggests nothing for unrelated names or when there are no links', () => {
    expect(matchLinksByName('Bicycle repair', links)).toEqual({ kind: 'none', suggestions: [] });
    expect(matchLinksByName('Coffee', [])).toEqual({ kind: 'none', suggestions: [] });
  });

  it('caps the choices and suggestions', () => {
    const many = Array.from({ length: 20 }, (_, index) => named(`m${index}`, `Cake ${index}`));
    const several = matchLinksByName('cake', many);
    expect(several.kind === 'several' && several.links.length).toBe(12);
    const none = matchLinksByName('Cakes 1', many);
    expect(none.kind === 'none' && none.suggestions.length).toBeLessThanOrEqual(3);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['コーヒー', 'コーヒ', 1],
    ['😀a', '😀b', 1],
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
