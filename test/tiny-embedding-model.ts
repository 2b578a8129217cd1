import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * Writes a tiny sentence-embedding model in the Hugging Face ONNX layout: `onnx/model.onnx`
 * (one Gather from a word-vector table: input_ids → last_hidden_state), a WordPiece
 * `tokenizer.json`, `tokenizer_config.json` and `config.json`. Each word's vector is chosen by
 * hand so that words of one topic point the same way: texts on one topic come out near each
 * other and far from texts on another.
 */

/** The topics, one axis each; every word of a topic is a vector mostly along its axis. */
export const TOPICS: Readonly<Record<string, readonly string[]>> = {
  heart: ['heart', 'cardiac', 'attack', 'infarction', 'myocardial', 'chest', 'coronary'],
  kidney: ['kidney', 'renal', 'stone', 'stones', 'urine', 'nephrolithiasis'],
  skin: ['skin', 'rash', 'eczema', 'itch', 'itchy', 'dermatitis'],
  lungs: ['asthma', 'wheeze', 'wheezing', 'inhaler', 'breath', 'breathing'],
};
/** Words that say nothing about the topic: a small shared vector. */
const FILLER = ['what', 'is', 'a', 'the', 'of', 'for', 'with', 'and', 'in', 'to', 'causes', 'treatment', 'about'];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;
export const TINY_DIMENSION = 8;

const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        TensorTypeProto: {
          fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
      },
    },
  },
};
const FLOAT = 1;
const INT64 = 7;

/** The vocabulary in id order. */
export function tinyVocabulary(): string[] {
  return [...SPECIAL, ...FILLER, ...Object.values(TOPICS).flat()];
}

/** A word's vector: its topic's axis plus a small word-specific part, or the filler vector. */
function wordVector(word: string, index: number): number[] {
  const vector = new Array<number>(TINY_DIMENSION).fill(0);
  const topic = Object.values(TOPICS).findIndex((words) => words.includes(word));
  if (topic >= 0) {
    vector[topic] = 1;
    vector[4 + (index % 3)] = 0.1;
  } else if (word === '[CLS]' || word === '[SEP]') vector[7] = 0.2;
  else if (word !== '[PAD]') vector[7] = 0.3;
  return vector;
}

function valueInfo(name: string, elemType: number, dims: Array<number | string>) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** The ONNX graph bytes: last_hidden_state = Gather(table, input_ids); attention_mask is accepted. */
export function tinyModelBytes(): Uint8Array {
  const vocabulary = tinyVocabulary();
  const table = new Float32Array(vocabulary.flatMap((w, i) => wordVector(w, i)));
  const ModelProto = protobuf.Root.fromJSON(ONNX_SUBSET).lookupType('onnx.ModelProto');
  const model = {
    irVersion: 8,
    producerName: 'evidentia-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-embedder',
      node: [{ input: ['table', 'input_ids'], output: ['last_hidden_state'], name: 'lookup', opType: 'Gather' }],
      initializer: [
        {
          name: 'table',
          dims: [vocabulary.length, TINY_DIMENSION],
          dataType: FLOAT,
          rawData: new Uint8Array(table.buffer),
        },
      ],
      input: [
        valueInfo('input_ids', INT64, ['batch', 'sequence']),
        valueInfo('attention_mask', INT64, ['batch', 'sequence']),
      ],
      output: [valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIMENSION])],
    },
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(problem);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** A BERT-style WordPiece tokenizer over the tiny vocabulary. */
export function tinyTokenizer(): Record<string, unknown> {
  const vocabulary = tinyVocabulary();
  const special = (content: string) => ({
    id: vocabulary.indexOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocabulary.indexOf('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocabulary.indexOf('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((w, i) => [w, i])),
    },
  };
}

/**
 * Writes the tiny model into `dir` (created if needed) and returns the folder.
 * @param dir the model folder to write
 */
export function writeTinyEmbeddingModel(dir: string): string {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), tinyModelBytes());
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer()));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ model_max_length: 64, pad_token: '[PAD]', do_lower_case: true, tokenizer_class: 'BertTokenizer' }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: TINY_DIMENSION }));
  return dir;
}
