import { basename, resolve } from 'node:path';
import type { ModelEmbedder } from '../adapters/vector/onnx-embedder.js';
import { openAiEmbedder } from '../adapters/vector/openai-embeddings.js';
import { openSqliteVectorIndex } from '../adapters/vector/sqlite-vector-index.js';
import type { Config } from '../config/config.js';
import { EvidentiaError } from '../domain/errors.js';
import { embedPendingPassages, type EmbedReport } from '../ingest/embed-passages.js';
import type { DenseRetrieval } from '../pipeline/retrieve/dense.js';
import type { Embedder } from '../ports/embedder.js';
import type { VectorIndex } from '../ports/vector-index.js';

/** Dense retrieval as configured: the embedder, the library's vectors and how to fill them. */
export interface DenseSetup {
  /** Names the model, for reports ("BM25 + dense (bge-small-en-v1.5)"). */
  readonly modelName: string;
  readonly retrieval: DenseRetrieval;
  /** Embeds the passages that have no vector; with `rebuild`, drops every vector first. */
  embed(options?: { rebuild?: boolean; onProgress?: (done: number, total: number) => void }): Promise<EmbedReport>;
  close(): Promise<void>;
}

type DenseConfig = Pick<
  Config,
  | 'databaseUrl'
  | 'dbPath'
  | 'embeddingsModelDir'
  | 'embeddingsUrl'
  | 'embeddingsModel'
  | 'embeddingsApiKey'
  | 'embeddingsQueryPrefix'
  | 'embeddingsPassagePrefix'
>;

/** True when the configuration asks for dense retrieval. */
export function denseConfigured(config: DenseConfig): boolean {
  return config.embeddingsModelDir !== undefined || config.embeddingsUrl !== undefined;
}

/**
 * Checks the dense settings; throws CONFIG_INVALID with what to change.
 * @returns the model's name, or null when dense retrieval is off
 */
export function checkDenseConfig(config: DenseConfig): string | null {
  if (!denseConfigured(config)) return null;
  if (config.embeddingsModelDir !== undefined && config.embeddingsUrl !== undefined) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      'set EVIDENTIA_EMBEDDINGS_MODEL_DIR (a local model) or EVIDENTIA_EMBEDDINGS_URL (a server), not both',
    );
  }
  if (config.databaseUrl !== undefined) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      'dense retrieval keeps its vectors in the SQLite library (sqlite-vec): unset DATABASE_URL or the EVIDENTIA_EMBEDDINGS_* settings',
    );
  }
  if (config.embeddingsModelDir !== undefined) return basename(resolve(config.embeddingsModelDir));
  if (config.embeddingsModel === undefined) {
    throw new EvidentiaError(
      'CONFIG_INVALID',
      'EVIDENTIA_EMBEDDINGS_URL needs EVIDENTIA_EMBEDDINGS_MODEL: the model the server should use',
    );
  }
  return config.embeddingsModel;
}

/** An embedder that opens its model on first use (loading a model takes a moment). */
function lazyEmbedder(open: () => Promise<Embedder>): Embedder {
  let opened: Promise<Embedder> | undefined;
  return {
    async embed(texts) {
      opened ??= open();
      return (await opened).embed(texts);
    },
  };
}

/**
 * Opens dense retrieval for a SQLite library when the configuration asks for it. The library
 * file must already be open (its migrations create the vector tables' bookkeeping).
 * @returns undefined when dense retrieval is off
 */
export function openDenseSetup(config: DenseConfig): DenseSetup | undefined {
  const modelName = checkDenseConfig(config);
  if (modelName === null) return undefined;
  const embedder: Embedder =
    config.embeddingsModelDir !== undefined
      ? lazyEmbedder(async (): Promise<ModelEmbedder> => {
          // Loaded only when a local model is configured: the native runtime takes a moment to load.
          const { openOnnxEmbedder } = await import('../adapters/vector/onnx-embedder.js');
          return openOnnxEmbedder(config.embeddingsModelDir!);
        })
      : openAiEmbedder({
          baseUrl: config.embeddingsUrl!,
          model: modelName,
          ...(config.embeddingsApiKey === undefined ? {} : { apiKey: config.embeddingsApiKey }),
        });
  const index: VectorIndex = openSqliteVectorIndex(config.dbPath);
  /** Vectors of another model cannot be compared with this one's. */
  const checkModel = async (): Promise<void> => {
    const recorded = await index.model();
    if (recorded && recorded.name !== modelName) {
      throw new EvidentiaError(
        'CONFIG_INVALID',
        `the library's vectors were made by ${recorded.name}, but the configured model is ${modelName}: run \`evidentia embed --rebuild\``,
      );
    }
  };
  let checked = false;
  return {
    modelName,
    retrieval: {
      embedder,
      index: {
        async nearestDocuments(vector, limit, kinds) {
          if (!checked) await checkModel();
          checked = true;
          return index.nearestDocuments(vector, limit, kinds);
        },
      },
      ...(config.embeddingsQueryPrefix === undefined ? {} : { queryPrefix: config.embeddingsQueryPrefix }),
    },
    async embed(options = {}) {
      // Opens the model now, so a wrong folder is reported even when nothing is left to embed.
      await embedder.embed([]);
      if (options.rebuild) await index.clear();
      else await checkModel();
      return embedPendingPassages(index, embedder, modelName, {
        ...(config.embeddingsPassagePrefix === undefined ? {} : { passagePrefix: config.embeddingsPassagePrefix }),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    close: () => index.close(),
  };
}
