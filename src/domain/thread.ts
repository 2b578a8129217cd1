/** A conversation: the first question and its follow-ups, each answered as its own article. */
export interface ThreadTurn {
  /** What the person typed. */
  asked: string;
  /** The standalone question that was answered (the follow-up resolved against the thread). */
  question: string;
  articleId: string;
  at: string;
}

export interface Thread {
  id: string;
  turns: ThreadTurn[];
}
