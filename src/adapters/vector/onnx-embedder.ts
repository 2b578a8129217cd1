import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { EvidentiaError } from '../../domain/errors.js';
import type { Embedder } from '../../ports/embedder.js';
import type { EmbeddingModel } from '../../ports/vector-index.js';

/** Where a Hugging Face ONNX export keeps its graph, in the order they are tried. */
export const MODEL_FILES = ['model.onnx', join('onnx', 'model.onnx')] as const;

/** Output names of sentence-embedding exports: token vectors first, pooled vectors last. */
const OUTPUT_NAMES = ['last_hidden_state', 'token_embeddings', 'sentence_embedding'] as const;

export interface OnnxEmbedderOptions {
  /** Longest input in tokens, special tokens included (longer texts are cut). */
  maxTokens?: number;
  /** Texts run through the model at once. */
  batchSize?: number;
}

/** An embedder that knows which model it is, so the library can record it beside the vectors. */
export interface ModelEmbedder extends Embedder {
  readonly model: EmbeddingModel;
}

/**
 * Mean of the token vectors a mask keeps (mean pooling, as sentence-transformers does).
 * @param data token vectors of one batch, flat, row-major [batch, tokens, dimension]
 * @param mask 1 for a real token, 0 for padding, flat [batch, tokens]
 * @param shape [batch, tokens, dimension]
 */
export function meanPool(
  data: Float32Array,
  mask: readonly number[],
  shape: readonly [number, number, number],
): number[][] {
  const [batch, tokens, dimension] = shape;
  const pooled: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Array<number>(dimension).fill(0);
    let count = 0;
    for (let t = 0; t < tokens; t++) {
      if (mask[b * tokens + t] === 0) continue;
      count++;
      const offset = (b * tokens + t) * dimension;
      for (let d = 0; d < dimension; d++) sum[d]! += data[offset + d]!;
    }
    pooled.push(sum.map((v) => (count === 0 ? 0 : v / count)));
  }
  return pooled;
}

/**
 * Scales a vector to length 1 (a zero vector stays zero), so cosine similarity is a dot product.
 * @param vector any vector
 */
export function l2Normalise(vector: readonly number[]): number[] {
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0));
  return norm === 0 ? [...vector] : vector.map((v) => v / norm);
}

/**
 * Cuts a token sequence to `max` tokens, keeping the last one (the closing special token).
 * @param ids token ids with special tokens
 * @param max the model's input limit
 */
export function truncateTokens(ids: readonly number[], max: number): number[] {
  if (ids.length <= max) return [...ids];
  return [...ids.slice(0, max - 1), ids[ids.length - 1]!];
}

function readJson(file: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new EvidentiaError('CONFIG_INVALID', `cannot read the ${what} ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * Opens a sentence-embedding model exported to ONNX in a local folder (Hugging Face layout:
 * `model.onnx` or `onnx/model.onnx`, `tokenizer.json`, optionally `tokenizer_config.json` and
 * `config.json`). Only files in that folder are read: nothing is ever downloaded, and a Hub id or
 * URL is refused. Vectors are the mean of the token vectors, scaled to length 1.
 * @param dir the model folder
 * @param options input limit and batch size
 */
export async function openOnnxEmbedder(dir: string, options: OnnxEmbedderOptions = {}): Promise<ModelEmbedder> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dir)) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `embedding model ${dir} is an address: Evidentia never downloads models; give the folder of a local ONNX export`,
    );
  }
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `embedding model folder ${folder} not found (Evidentia never downloads models: export one to a folder first)`,
    );
  }
  const modelFile = MODEL_FILES.map((f) => join(folder, f)).find((f) => existsSync(f));
  if (!modelFile) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `no ${MODEL_FILES.join(' or ')} in the embedding model folder ${folder}`,
    );
  }
  const tokenizerFile = join(folder, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) {
    throw new EvidentiaError('CONFIG_INVALID', `no tokenizer.json in the embedding model folder ${folder}`);
  }
  const tokenizerConfigFile = join(folder, 'tokenizer_config.json');
  const tokenizerConfig = existsSync(tokenizerConfigFile) ? readJson(tokenizerConfigFile, 'tokenizer settings') : {};
  const configFile = join(folder, 'config.json');
  const modelConfig = existsSync(configFile) ? readJson(configFile, 'model settings') : {};

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(readJson(tokenizerFile, 'tokenizer'), tokenizerConfig);
  } catch (cause) {
    if (cause instanceof EvidentiaError) throw cause;
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `cannot use the tokenizer ${tokenizerFile}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelFile, { graphOptimizationLevel: 'all' });
  } catch (cause) {
    throw new EvidentiaError('CONFIG_INVALID', `cannot load the ONNX model ${modelFile}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const output = OUTPUT_NAMES.find((n) => session.outputNames.includes(n)) ?? session.outputNames[0];
  if (output === undefined) throw new EvidentiaError('CONFIG_INVALID', `the ONNX model ${modelFile} has no output`);

  const declaredMax = Number(tokenizerConfig['model_max_length'] ?? modelConfig['max_position_embeddings']);
  const maxTokens = Math.min(
    options.maxTokens ?? 256,
    Number.isFinite(declaredMax) && declaredMax > 0 ? declaredMax : Infinity,
  );
  const batchSize = options.batchSize ?? 16;
  const padToken = typeof tokenizerConfig['pad_token'] === 'string' ? tokenizerConfig['pad_token'] : '[PAD]';
  const padId = tokenizer.encode(padToken, { add_special_tokens: false }).ids[0] ?? 0;

  const runBatch = async (texts: readonly string[]): Promise<number[][]> => {
    const encoded = texts.map((t) => truncateTokens(tokenizer.encode(t).ids, maxTokens));
    const length = Math.max(1, ...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * length);
    const mask = new BigInt64Array(texts.length * length);
    const maskNumbers: number[] = new Array<number>(texts.length * length).fill(0);
    encoded.forEach((row, b) => {
      for (let t = 0; t < length; t++) {
        const real = t < row.length;
        ids[b * length + t] = BigInt(real ? row[t]! : padId);
        mask[b * length + t] = real ? 1n : 0n;
        maskNumbers[b * length + t] = real ? 1 : 0;
      }
    });
    const shape = [texts.length, length];
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', ids, shape);
      else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', mask, shape);
      else if (name === 'token_type_ids')
        feeds[name] = new ort.Tensor('int64', new BigInt64Array(texts.length * length), shape);
      else throw new EvidentiaError('CONFIG_INVALID', `the ONNX model ${modelFile} wants an unknown input "${name}"`);
    }
    let result: ort.Tensor;
    try {
      result = (await session.run(feeds))[output]!;
    } catch (cause) {
      throw new EvidentiaError('INTERNAL', `the ONNX model ${modelFile} failed: ${(cause as Error).message}`, {
        cause,
      });
    }
    const dims = result.dims;
    const data = result.data as Float32Array;
    if (dims.length === 3) {
      return meanPool(data, maskNumbers, [dims[0]!, dims[1]!, dims[2]!]).map(l2Normalise);
    }
    if (dims.length === 2) {
      const [batch, dimension] = [dims[0]!, dims[1]!];
      return Array.from({ length: batch }, (_, b) =>
        l2Normalise([...data.subarray(b * dimension, (b + 1) * dimension)]),
      );
    }
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `the ONNX model ${modelFile} gives an output of shape [${dims.join(', ')}]`,
    );
  };

  const embed = async (texts: readonly string[]): Promise<number[][]> => {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) vectors.push(...(await runBatch(texts.slice(i, i + batchSize))));
    return vectors;
  };

  // The size the model declares, else the size of one vector it makes.
  const hidden = Number(modelConfig['hidden_size']);
  const probe = (await embed(['dimension probe']))[0]!;
  if (Number.isInteger(hidden) && hidden > 0 && hidden !== probe.length) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `the ONNX model ${modelFile} makes vectors of ${probe.length} numbers but config.json says ${hidden}`,
    );
  }
  return { model: { name: basename(folder), dimension: probe.length }, embed };
}
