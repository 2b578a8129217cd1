/**
 * Makes document ids unique within one file. Some corpora reuse an id for different records
 * (MedQuAD repeats a few CancerGov answer ids); storing them under one id would silently keep
 * only the last. The first keeps its id, later ones get `~2`, `~3`… in file order, which is
 * stable when the same file is imported again.
 */
export function createIdDeduper(): (id: string) => string {
  const seen = new Map<string, number>();
  return (id) => {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    return count === 1 ? id : `${id}~${count}`;
  };
}
