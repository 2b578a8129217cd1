import { z } from 'zod';
import { EvidentiaError } from '../../domain/errors.js';
import type { Embedder } from '../../ports/embedder.js';

const EmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

export interface EmbeddingsEndpoint {
  /** Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Milliseconds before a request is abandoned. */
  timeoutMs?: number;
}

/**
 * An embedder backed by an OpenAI-compatible `POST {baseUrl}/embeddings` (vLLM, llama.cpp
 * server, Ollama, text-embeddings-inference, hosted APIs). Vectors come back in input order
 * whatever order the server lists them in.
 * @param endpoint where and which model
 */
export function openAiEmbedder(endpoint: EmbeddingsEndpoint): Embedder {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/embeddings`;
  return {
    async embed(texts) {
      if (texts.length === 0) return [];
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: endpoint.model, input: texts }),
          signal: AbortSignal.timeout(endpoint.timeoutMs ?? 30_000),
        });
      } catch (cause) {
        throw new EvidentiaError(
          'UPSTREAM_UNAVAILABLE',
          `embeddings endpoint ${url} unreachable: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      if (!response.ok) {
        // A refused request (bad key, unknown model, input too long) will fail the same way again.
        const refused = response.status >= 400 && response.status < 500 && response.status !== 429;
        throw new EvidentiaError(
          refused ? 'UPSTREAM_REJECTED' : 'UPSTREAM_UNAVAILABLE',
          `embeddings endpoint ${url} answered ${response.status}${refused ? ' (check EVIDENTIA_EMBEDDINGS_MODEL and EVIDENTIA_EMBEDDINGS_API_KEY)' : ''}`,
        );
      }
      const parsed = EmbeddingsResponse.safeParse(await response.json().catch(() => null));
      if (!parsed.success || parsed.data.data.length !== texts.length) {
        throw new EvidentiaError('UPSTREAM_UNAVAILABLE', `embeddings endpoint ${url} sent an unexpected answer`);
      }
      const vectors = [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      const size = vectors[0]?.length ?? 0;
      if (size === 0 || vectors.some((v) => v.length !== size)) {
        throw new EvidentiaError('UPSTREAM_UNAVAILABLE', `embeddings endpoint ${url} sent vectors of different sizes`);
      }
      return vectors;
    },
  };
}
