import { XMLParser } from 'fast-xml-parser';

/**
 * A parser for the XML enCORE writes into ImageComments, both layouts alike: text kept as text
 * (a value is parsed by the reader, never by the XML library), attributes under `@`, bounded
 * nesting, and no DTD (declarations are refused by the callers) while the five XML entities
 * still decode within bounds. `isArray` says which elements always come as a list.
 */
export function geXmlParser(isArray: (name: string, isAttribute: boolean) => boolean): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name, _path, _leaf, isAttribute) => isArray(name, isAttribute),
    processEntities: { enabled: true, maxEntityCount: 1, maxTotalExpansions: 100_000, maxExpandedLength: 1_000_000 },
    maxNestedTags: 16,
    // no callback here reads the path: without this, the parser writes it out as a string for every tag
    jPath: false,
  });
}
