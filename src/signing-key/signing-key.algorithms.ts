/**
 * The signing algorithms FusionAuth's Key API knows (its `KeyAlgorithm`, less `None`,
 * which names a stored secret that signs nothing) and what each needs of its key.
 */
export const KEY_TYPES = ['EC', 'OKP', 'RSA', 'HMAC'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export type Hash = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface AlgorithmSpec {
  readonly type: KeyType;
  readonly hash: Hash | null;
  /** EC: the curve (JOSE name) and FusionAuth's `length` for it. */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  readonly length?: number;
  /** HMAC: the shortest secret RFC 7518 §3.2 allows (the hash's output size), in bytes. */
  readonly secretBytes?: number;
}

export const ALGORITHMS = {
  HS256: { type: 'HMAC', hash: 'SHA-256', secretBytes: 32 },
  HS384: { type: 'HMAC', hash: 'SHA-384', secretBytes: 48 },
  HS512: { type: 'HMAC', hash: 'SHA-512', secretBytes: 64 },
  RS256: { type: 'RSA', hash: 'SHA-256' },
  RS384: { type: 'RSA', hash: 'SHA-384' },
  RS512: { type: 'RSA', hash: 'SHA-512' },
  ES256: { type: 'EC', hash: 'SHA-256', curve: 'P-256', length: 256 },
  ES384: { type: 'EC', hash: 'SHA-384', curve: 'P-384', length: 384 },
  ES512: { type: 'EC', hash: 'SHA-512', curve: 'P-521', length: 521 },
  // FusionAuth reports 32 (bytes) as an Ed25519 key's length.
  Ed25519: { type: 'OKP', hash: null, length: 32 },
} as const satisfies Record<string, AlgorithmSpec>;

export type Algorithm = keyof typeof ALGORITHMS;
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as Algorithm[];

export function specOf(algorithm: Algorithm): AlgorithmSpec {
  return ALGORITHMS[algorithm];
}

/** FusionAuth's RSA sizes, for generated and imported keys alike: nothing weaker than 2048. */
export const RSA_LENGTHS = [2048, 3072, 4096] as const;

/** Node's names for the curves (`asymmetricKeyDetails.namedCurve`), to JOSE's. */
export const NODE_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** The algorithm a key of this type and curve signs with when the request names none. */
export function inferredAlgorithm(type: KeyType, curve: string | null): Algorithm {
  switch (type) {
    case 'HMAC':
      return 'HS256';
    case 'RSA':
      return 'RS256';
    case 'OKP':
      return 'Ed25519';
    case 'EC':
      return curve === 'P-384' ? 'ES384' : curve === 'P-521' ? 'ES512' : 'ES256';
  }
}
