import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/helpers.js';
import { TINY_DIMENSION, writeTinyEmbeddingModel } from '../../../test/tiny-embedding-model.js';
import { l2Normalise, meanPool, openOnnxEmbedder, truncateTokens, type ModelEmbedder } from './onnx-embedder.js';

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('pooling and normalisation', () => {
  it('averages only the tokens the mask keeps, per text', () => {
    // Two texts of two tokens, dimension 2; the second text's second token is padding.
    const data = new Float32Array([1, 2, 3, 4, 10, 20, 99, 99]);
    expect(meanPool(data, [1, 1, 1, 0], [2, 2, 2])).toEqual([
      [2, 3],
      [10, 20],
    ]);
  });

  it('gives a zero vector for a text with no kept token', () => {
    expect(meanPool(new Float32Array([5, 5]), [0], [1, 1, 2])).toEqual([[0, 0]]);
  });

  it('scales to length one and leaves a zero vector alone', () => {
    expect(l2Normalise([3, 4])).toEqual([0.6, 0.8]);
    expect(l2Normalise([0, 0])).toEqual([0, 0]);
  });

  it('cuts long token sequences but keeps the closing token', () => {
    expect(truncateTokens([101, 1, 2, 3, 4, 102], 4)).toEqual([101, 1, 2, 102]);
    expect(truncateTokens([101, 1, 102], 4)).toEqual([101, 1, 102]);
  });
});

describe('local ONNX sentence-embedding model (a tiny one the test writes)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let embedder: ModelEmbedder;
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  beforeAll(async () => {
    tmp = tempDir('evidentia-onnx-');
    embedder = await openOnnxEmbedder(writeTinyEmbeddingModel(join(tmp.dir, 'tiny-minilm')));
  });
  afterAll(() => {
    fetchSpy.mockRestore();
    tmp.cleanup();
  });

  it('loads from the folder, names the model after it and reports the declared size', () => {
    expect(embedder.model).toEqual({ name: 'tiny-minilm', dimension: TINY_DIMENSION });
  });

  it('gives one unit-length vector per text, the same for the same text', async () => {
    const [a, b, c] = await embedder.embed(['Heart attack', 'heart attack', 'kidney stones']);
    expect(a).toHaveLength(TINY_DIMENSION);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('puts texts on one topic nearer each other than texts on another', async () => {
    const [attack, infarction, stones, eczema] = await embedder.embed([
      'what causes a heart attack',
      'myocardial infarction',
      'renal stones in the urine',
      'itchy eczema rash',
    ]);
    expect(dot(attack!, infarction!)).toBeGreaterThan(0.9);
    expect(dot(attack!, stones!)).toBeLessThan(0.5);
    expect(dot(stones!, eczema!)).toBeLessThan(0.5);
  });

  it('embeds a batch larger than one run of the model, in input order', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'asthma inhaler' : 'kidney stone'));
    const vectors = await embedder.embed(texts);
    const [asthma, kidney] = await embedder.embed(['asthma inhaler', 'kidney stone']);
    expect(vectors).toHaveLength(40);
    vectors.forEach((v, i) => expect(v).toEqual(i % 2 === 0 ? asthma : kidney));
  });

  it('pads texts of different lengths without changing their vectors', async () => {
    const [alone] = await embedder.embed(['eczema']);
    const [withLonger] = await embedder.embed(['eczema', 'what is the treatment for a heart attack with chest pain']);
    for (let i = 0; i < TINY_DIMENSION; i++) expect(withLonger![i]).toBeCloseTo(alone![i]!, 6);
  });

  it('never fetches anything', () => {
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses an address or a Hub name: models are never downloaded', async () => {
    await expect(openOnnxEmbedder('https://example.org/models/bge-small')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/never downloads/),
    });
    await expect(openOnnxEmbedder('BAAI/bge-small-en-v1.5-not-here')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/not found.*never downloads/),
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('says which file is missing', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    await expect(openOnnxEmbedder(empty)).rejects.toMatchObject({ message: expect.stringMatching(/no model\.onnx/) });
    const noTokenizer = join(tmp.dir, 'no-tokenizer');
    mkdirSync(noTokenizer);
    copyFileSync(join(tmp.dir, 'tiny-minilm', 'onnx', 'model.onnx'), join(noTokenizer, 'model.onnx'));
    await expect(openOnnxEmbedder(noTokenizer)).rejects.toMatchObject({
      message: expect.stringMatching(/no tokenizer\.json/),
    });
  });

  it('reports a corrupt model file clearly', async () => {
    const corrupt = writeTinyEmbeddingModel(join(tmp.dir, 'corrupt'));
    writeFileSync(join(corrupt, 'onnx', 'model.onnx'), 'this is not an ONNX graph');
    await expect(openOnnxEmbedder(corrupt)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/cannot load the ONNX model/),
    });
  });

  it('refuses a model whose vectors are not the size its config.json declares', async () => {
    const wrong = writeTinyEmbeddingModel(join(tmp.dir, 'wrong-size'));
    writeFileSync(join(wrong, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 384 }));
    await expect(openOnnxEmbedder(wrong)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/8 numbers but config\.json says 384/),
    });
  });
});
