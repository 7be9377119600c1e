/** What hand-written Ruby header code adds up to in the neutral policy (Sinatra, Rails controllers). */
import { requiresOptions } from '../handset-branches';
import type { NameList, OriginPolicy, SourceRef, Span } from '../../policy/types';
import { originAllowlists, type RubyCondition, type RubyHeaderWrite } from './handset';

export const handsetLabel = (text: string, span: Span): string => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

const nameList = (values: string[], dynamic: boolean): NameList => {
  const all = values.flatMap((v) =>
    v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  return {
    names: [...new Set(all.filter((n) => n !== '*'))],
    wildcard: all.includes('*'),
    dynamic,
  };
};

export interface HandsetSummary {
  origins: OriginPolicy;
  credentials: boolean | 'dynamic';
  credentialsAt?: SourceRef;
  /** Header values per name, with extra values (a library's settings) appended. */
  list(name: string, extra?: string): NameList;
  maxAge(extra?: string): number | null | 'dynamic';
  /** The line that sets the origin on ordinary responses (not only inside an OPTIONS branch). */
  varyAt?: Span;
}

/** The origins, credentials and header lists some header writes add up to. */
export function summarize(
  text: string,
  written: { header: RubyHeaderWrite; conditions: RubyCondition[] }[],
): HandsetSummary {
  const named = (name: string) =>
    written.filter(({ header }) => header.name.toLowerCase() === name);
  const origins: OriginPolicy = {
    allowAll: false,
    exact: [],
    regexes: [],
    dynamic: false,
    envDriven: false,
  };
  for (const { header, conditions } of named('access-control-allow-origin')) {
    const { value } = header;
    if (value.kind === 'dynamic') origins.dynamic = true;
    else if (value.kind === 'literal' && value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: header.span, label: handsetLabel(text, header.span) };
    } else if (value.kind === 'literal')
      origins.exact.push({ value: value.value, span: header.valueSpan });
    else {
      const lists = originAllowlists(conditions);
      // Echoing the Origin with no allowlist test around it lets every site in.
      if (!lists.length)
        origins.reflectAny ??= { span: header.span, label: handsetLabel(text, header.span) };
      for (const list of lists) {
        list.values.forEach((v, i) => origins.exact.push({ value: v, span: list.spans[i] }));
        if (list.list) origins.listAt ??= { span: list.list, label: handsetLabel(text, list.list) };
      }
    }
  }
  const literals = (name: string, extra?: string) => [
    ...named(name).flatMap(({ header }) =>
      header.value.kind === 'literal' ? [header.value.value] : [],
    ),
    ...(extra ? [extra] : []),
  ];
  const dynamic = (name: string) =>
    named(name).some(({ header }) => header.value.kind !== 'literal');
  const credentials = named('access-control-allow-credentials')[0];
  const originSets = named('access-control-allow-origin');
  const firstOrigin =
    originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  return {
    origins,
    credentials: credentials
      ? credentials.header.value.kind === 'literal'
        ? credentials.header.value.value.toLowerCase() === 'true'
        : 'dynamic'
      : false,
    credentialsAt: credentials && {
      span: credentials.header.span,
      label: handsetLabel(text, credentials.header.span),
    },
    list: (name, extra) => nameList(literals(name, extra), dynamic(name)),
    maxAge(extra) {
      const value = literals('access-control-max-age', extra)[0];
      return value === undefined
        ? dynamic('access-control-max-age')
          ? 'dynamic'
          : null
        : /^\d+$/.test(value)
          ? Number(value)
          : 'dynamic';
    },
    varyAt: firstOrigin?.header.span,
  };
}
