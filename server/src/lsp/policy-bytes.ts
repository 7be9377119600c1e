import { deserialize, serialize } from 'node:v8';
import type { Policy } from '../policy/types';
import type { PolicyBytes } from './analysis-messages';

/** Policies as they cross from the analysis worker (plain data, Maps and Sets: v8 keeps them all). */
export const encodePolicies = (policies: readonly Policy[]): PolicyBytes =>
  new Uint8Array(serialize(policies));

export const decodePolicies = (bytes: PolicyBytes): Policy[] => deserialize(bytes) as Policy[];
