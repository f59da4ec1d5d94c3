// The one XML writer of the emulator, for REST-XML (S3), the query protocol (CloudWatch, STS) and the
// errors of services it does not speak: documents are plain objects (`@_name` an attribute, `#text`
// an element's text, an array repeated elements) built by fast-xml-parser's XMLBuilder, with text
// escaped here as S3 escapes it. Also the one MalformedXML error.
import { XMLBuilder } from 'fast-xml-parser';
import { AwsError } from '../errors';
import { type ServiceModel, type Shape, shapeOf } from '../models';

const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: false });

/** A document as XML text, without the XML declaration. */
export function buildXml(document: Record<string, unknown>): string {
  return xmlBuilder.build(document) as string;
}

/** S3's (and any XML protocol's) answer to a body that does not parse or does not fit the schema. */
export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
}

/**
 * Escapes text for an XML element. Characters XML 1.0 cannot carry literally (control characters,
 * and CR, which parsers normalise away) become character references, as S3 writes them.
 */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      default:
        return `&#${char.charCodeAt(0)};`;
    }
  });
}

/**
 * A value of a shape as the builder wants it: strings already escaped, lists as repeated elements,
 * maps as `entry` elements of a key and a value; members bound to HTTP (headers, labels) left out.
 */
export function shapeToXml(model: ServiceModel, shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure': {
      const element: Record<string, unknown> = {};
      if (shape.xmlNamespace) element[shape.xmlNamespace.prefix ? `@_xmlns:${shape.xmlNamespace.prefix}` : '@_xmlns'] = shape.xmlNamespace.uri;
      const record = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members)) {
        if (member.location || record[name] === undefined || record[name] === null) continue;
        const memberShape = shapeOf(model, member.shape);
        const elementName = member.locationName ?? name;
        if (member.xmlAttribute) {
          element[`@_${elementName}`] = scalarXmlText(memberShape, record[name]).replace(/"/g, '&quot;');
          continue;
        }
        if (memberShape.type === 'list' && (memberShape.flattened || member.flattened)) {
          const itemShape = shapeOf(model, memberShape.member.shape);
          element[elementName] = (record[name] as unknown[]).map((item) => shapeToXml(model, itemShape, item));
        } else {
          element[elementName] = shapeToXml(model, memberShape, record[name]);
        }
      }
      return element;
    }
    case 'list': {
      const itemShape = shapeOf(model, shape.member.shape);
      return { [shape.member.locationName ?? 'member']: (value as unknown[]).map((item) => shapeToXml(model, itemShape, item)) };
    }
    case 'map': {
      const valueShape = shapeOf(model, shape.value.shape);
      const entries = Object.entries(value as Record<string, unknown>).map(([key, entry]) => ({
        [shape.key.locationName ?? 'key']: escapeXmlText(key),
        [shape.value.locationName ?? 'value']: shapeToXml(model, valueShape, entry),
      }));
      return { entry: entries };
    }
    default:
      return scalarXmlText(shape, value);
  }
}

/** The XML text of a scalar: timestamps ISO 8601, blobs base64, strings escaped (S3 and the query protocol alike). */
export function scalarXmlText(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      return (value as Date).toISOString();
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'string':
      return escapeXmlText(String(value));
    default:
      return String(value);
  }
}
