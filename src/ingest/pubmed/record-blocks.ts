/**
 * Cuts a PubMed XML byte stream into blocks of whole records, so separate threads can parse
 * separate blocks. A block ends just after the first `</PubmedArticle>` that starts at least
 * `blockBytes` into it; the rest of the file after the last cut is the last block. The cuts
 * depend only on the bytes, never on how they were read, so every reader of the same file
 * finds the same blocks. Cutting bytes is safe for UTF-8: an ASCII byte never occurs inside a
 * multi-byte character.
 *
 * A cut is only a guess that the file is at its top level there (a comment or CDATA section
 * could hold the same text); the block parser checks that each block ends at the top level,
 * and a reader falls back to one parse of the whole file when a block does not.
 */

const RECORD_END = Buffer.from('</PubmedArticle>');

export interface RecordBlock {
  /** 0 for the block that holds the file's start, then 1, 2, … in file order. */
  index: number;
  bytes: Buffer;
  /** Whether the block reaches the end of the file. */
  last: boolean;
}

/**
 * The blocks of a byte stream, in order.
 * @param chunks the file's bytes (decompressed), in any chunk sizes
 * @param blockBytes the least size of a block before it is cut at the next record end
 * @param maxBlockBytes a block that grows past this without a record end throws: memory stays
 *   bounded, and the caller can read the file as one stream instead
 */
export async function* cutRecordBlocks(
  chunks: AsyncIterable<Buffer>,
  blockBytes: number,
  maxBlockBytes: number,
): AsyncGenerator<RecordBlock> {
  let parts: Buffer[] = [];
  let length = 0;
  // Where the next record end may start: bytes before it were searched already.
  let searchFrom = blockBytes;
  let index = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length > maxBlockBytes) throw new RangeError(`no record end within ${maxBlockBytes} bytes`);
    while (length >= searchFrom + RECORD_END.length) {
      const pending = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
      parts = [pending];
      const at = pending.indexOf(RECORD_END, searchFrom);
      if (at === -1) {
        searchFrom = length - RECORD_END.length + 1;
        break;
      }
      const end = at + RECORD_END.length;
      yield { index: index++, bytes: pending.subarray(0, end), last: false };
      const rest = pending.subarray(end);
      parts = rest.length > 0 ? [rest] : [];
      length = rest.length;
      searchFrom = blockBytes;
    }
  }
  yield { index, bytes: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length), last: true };
}
