/*
 * evidentia_bm25: FTS5's bm25() with the phrases' document counts passed in.
 *
 *   evidentia_bm25(fts_table, weight_0, …, weight_{C-1}, hits_0, …, hits_{P-1})
 *
 * C is the table's column count (every column's weight is given), P the number of phrases in the
 * MATCH expression, in the order they appear there. hits_i is how many documents contain phrase
 * i. bm25() counts that itself on every query, by walking each phrase's whole posting list —
 * for a common word in a large library, most of the query's time; the caller often knows it
 * already. A missing or NULL count is counted as bm25() does, so with exact counts (or none) the
 * result is bm25()'s to the last bit: same k1 = 1.2 and b = 0.75, same IDF with its floor, same
 * per-column weighting and whole-row length, same sign (negative, better matches more negative).
 *
 * evidentia_length(fts_table) gives the row's length, which a caller adding more to the scores needs.
 *
 * Row lengths: FTS5 reads each row's length from its %_docsize table, one B-tree look-up per row —
 * at a million documents most of the time a scoring query takes. SELECT evidentia_cache_lengths(t)
 * names a table whose rows' lengths the connection keeps in memory (4 bytes per row), read once on
 * the first query that needs them and again after the table changes; until then, inside a write
 * transaction, or on any other table, FTS5's own look-up gives them. The lengths are the same
 * either way, so are the scores.
 *
 * Built as a loadable extension against the SQLite that better-sqlite3 compiles (its sqlite3.h
 * carries fts5.h).
 */
#include <math.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

/* Every row's length in tokens (all columns), by rowid; shared by the queries using it. */
typedef struct Lengths {
  int nRef;
  sqlite3_int64 nRow;   /* rows of the table when read: part of telling the table */
  sqlite3_int64 nToken; /* their tokens */
  sqlite3_int64 nLen;   /* entries of aLen: the highest rowid + 1 */
  sqlite3_int64 nHeld;  /* rows read */
  unsigned int *aLen;
} Lengths;

/* The connection's cache of one table's row lengths (evidentia_cache_lengths names it). */
typedef struct LengthCache {
  sqlite3 *db;
  char *zTable;
  unsigned char *aStamp;
  int nStamp;
  Lengths *pLengths;
} LengthCache;

/* A rowid range past which lengths are not kept in an array (rowids far sparser than rows). */
#define MAX_CACHED_ROWID 200000000

static void lengthsRelease(void *p) {
  Lengths *pLengths = (Lengths *)p;
  if (pLengths && --pLengths->nRef == 0) {
    sqlite3_free(pLengths->aLen);
    sqlite3_free(pLengths);
  }
}

static void lengthCacheFree(void *p) {
  LengthCache *pCache = (LengthCache *)p;
  if (pCache == 0) return;
  sqlite3_free(pCache->zTable);
  sqlite3_free(pCache->aStamp);
  lengthsRelease(pCache->pLengths);
  sqlite3_free(pCache);
}

/* A SQLite varint (as FTS5 writes its sizes); returns the bytes read. */
static int readVarint(const unsigned char *a, int n, sqlite3_uint64 *pValue) {
  sqlite3_uint64 v = 0;
  int i;
  for (i = 0; i < n && i < 9; i++) {
    if (i == 8) {
      v = (v << 8) | a[i];
      *pValue = v;
      return 9;
    }
    v = (v << 7) | (a[i] & 0x7f);
    if ((a[i] & 0x80) == 0) {
      *pValue = v;
      return i + 1;
    }
  }
  *pValue = v;
  return i;
}

/*
 * The table's averages record followed by its structure record (FTS5 rewrites both on every
 * write); *pnAverages is the averages record's size. 0 when they cannot be read.
 */
static unsigned char *readStamp(LengthCache *pCache, int *pn, int *pnAverages) {
  unsigned char *a = 0;
  int n = 0;
  *pnAverages = 0;
  sqlite3_stmt *pStmt = 0;
  /* Prepared each time, never kept: a statement left open would keep the connection from closing. */
  char *zSql = sqlite3_mprintf("SELECT id, block FROM \"%w_data\" WHERE id IN (1, 10) ORDER BY id", pCache->zTable);
  if (zSql == 0) return 0;
  if (sqlite3_prepare_v2(pCache->db, zSql, -1, &pStmt, 0) != SQLITE_OK) pStmt = 0;
  sqlite3_free(zSql);
  if (pStmt == 0) return 0;
  while (sqlite3_step(pStmt) == SQLITE_ROW) {
    int nBlock = sqlite3_column_bytes(pStmt, 1);
    unsigned char *aNew = (unsigned char *)sqlite3_realloc64(a, (sqlite3_uint64)n + nBlock + 1);
    if (aNew == 0) {
      sqlite3_free(a);
      a = 0;
      break;
    }
    a = aNew;
    if (nBlock > 0) memcpy(&a[n], sqlite3_column_blob(pStmt, 1), (size_t)nBlock);
    n += nBlock;
    if (sqlite3_column_int(pStmt, 0) == 1) *pnAverages = n;
  }
  sqlite3_finalize(pStmt);
  *pn = n;
  return a;
}

/* The sum of the varints in a[0..n) from the `from`-th on (a docsize record's total, an averages record's tokens). */
static sqlite3_uint64 sumVarints(const unsigned char *a, int n, int from, sqlite3_uint64 *pFirst) {
  sqlite3_uint64 total = 0;
  int i = 0;
  int k = 0;
  if (pFirst) *pFirst = 0;
  while (i < n) {
    sqlite3_uint64 v;
    int used = readVarint(&a[i], n - i, &v);
    if (used == 0) break;
    if (k == 0 && pFirst) *pFirst = v;
    if (k >= from) total += v;
    k++;
    i += used;
  }
  return total;
}

/* The row count and token total an averages record holds (the row count, then each column's tokens). */
static void readAverages(const unsigned char *a, int n, sqlite3_int64 *pnRow, sqlite3_int64 *pnToken) {
  sqlite3_uint64 nRow;
  *pnToken = (sqlite3_int64)sumVarints(a, n, 1, &nRow);
  *pnRow = (sqlite3_int64)nRow;
}

/* Reads every row's length from the table's %_docsize; 0 when it cannot (or should not). */
static Lengths *readLengths(LengthCache *pCache, sqlite3_int64 nRow, sqlite3_int64 nToken) {
  sqlite3_stmt *pStmt = 0;
  Lengths *p = 0;
  sqlite3_int64 maxId = 0;
  char *zSql = sqlite3_mprintf("SELECT max(id) FROM \"%w_docsize\"", pCache->zTable);
  if (zSql == 0) return 0;
  if (sqlite3_prepare_v2(pCache->db, zSql, -1, &pStmt, 0) == SQLITE_OK && sqlite3_step(pStmt) == SQLITE_ROW)
    maxId = sqlite3_column_int64(pStmt, 0);
  sqlite3_finalize(pStmt);
  sqlite3_free(zSql);
  if (maxId < 0 || maxId > MAX_CACHED_ROWID) return 0;
  p = (Lengths *)sqlite3_malloc64(sizeof(Lengths));
  if (p == 0) return 0;
  p->nRef = 1;
  p->nRow = nRow;
  p->nToken = nToken;
  p->nLen = maxId + 1;
  p->nHeld = 0;
  p->aLen = (unsigned int *)sqlite3_malloc64(sizeof(unsigned int) * (sqlite3_uint64)p->nLen);
  if (p->aLen == 0) {
    sqlite3_free(p);
    return 0;
  }
  memset(p->aLen, 0, sizeof(unsigned int) * (size_t)p->nLen);
  zSql = sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\"", pCache->zTable);
  if (zSql == 0 || sqlite3_prepare_v2(pCache->db, zSql, -1, &pStmt, 0) != SQLITE_OK) pStmt = 0;
  sqlite3_free(zSql);
  if (pStmt == 0) {
    lengthsRelease(p);
    return 0;
  }
  while (sqlite3_step(pStmt) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(pStmt, 0);
    const unsigned char *a = (const unsigned char *)sqlite3_column_blob(pStmt, 1);
    int n = sqlite3_column_bytes(pStmt, 1);
    sqlite3_uint64 total = sumVarints(a, n, 0, 0);
    if (id >= 0 && id < p->nLen) {
      p->aLen[id] = total > 0xffffffffu ? 0xffffffffu : (unsigned int)total;
      p->nHeld++;
    }
  }
  if (sqlite3_finalize(pStmt) != SQLITE_OK) {
    lengthsRelease(p);
    return 0;
  }
  return p;
}

/*
 * The row lengths a query on this table may use, with a reference the caller releases; 0 when
 * FTS5 should read them (no table named, another table, an open write transaction).
 */
static Lengths *queryLengths(LengthCache *pCache, const Fts5ExtensionApi *pApi, Fts5Context *pFts) {
  sqlite3_int64 nRow = 0;
  sqlite3_int64 nToken = 0;
  unsigned char *aStamp;
  int nStamp = 0;
  int nAverages = 0;
  if (pCache == 0 || pCache->zTable == 0 || sqlite3_get_autocommit(pCache->db) == 0) return 0;
  if (pApi->xRowCount(pFts, &nRow) != SQLITE_OK || pApi->xColumnTotalSize(pFts, -1, &nToken) != SQLITE_OK) return 0;
  aStamp = readStamp(pCache, &nStamp, &nAverages);
  if (aStamp == 0) return 0;
  if (pCache->pLengths == 0 || nStamp != pCache->nStamp || memcmp(aStamp, pCache->aStamp, (size_t)nStamp) != 0) {
    sqlite3_int64 nTableRows;
    sqlite3_int64 nTableTokens;
    readAverages(aStamp, nAverages, &nTableRows, &nTableTokens);
    lengthsRelease(pCache->pLengths);
    pCache->pLengths = 0;
    sqlite3_free(pCache->aStamp);
    pCache->aStamp = aStamp;
    pCache->nStamp = nStamp;
    pCache->pLengths = readLengths(pCache, nTableRows, nTableTokens);
  } else {
    sqlite3_free(aStamp);
  }
  /* The named table's row count and token total: a query on a table of other totals is on another table. */
  if (pCache->pLengths == 0 || pCache->pLengths->nRow != nRow || pCache->pLengths->nToken != nToken) return 0;
  pCache->pLengths->nRef++;
  return pCache->pLengths;
}

/* The current row's length: from the cache when the query has one and the row is in it. */
static int rowLength(const Fts5ExtensionApi *pApi, Fts5Context *pFts, const Lengths *pLengths, int *pnTok) {
  if (pLengths) {
    sqlite3_int64 iRowid = pApi->xRowid(pFts);
    if (iRowid >= 0 && iRowid < pLengths->nLen) {
      *pnTok = (int)pLengths->aLen[iRowid];
      return SQLITE_OK;
    }
  }
  return pApi->xColumnSize(pFts, -1, pnTok);
}

/* Per-query values, computed on the first row and kept as the query's auxiliary data. */
typedef struct Bm25Data {
  int nPhrase;
  double avgdl;
  double *aIDF;
  double *aFreq;
  Lengths *pLengths;
} Bm25Data;

static void bm25DataFree(void *p) {
  Bm25Data *pData = (Bm25Data *)p;
  if (pData) lengthsRelease(pData->pLengths);
  sqlite3_free(p);
}

static int countCallback(const Fts5ExtensionApi *pApi, Fts5Context *pFts, void *pUserData) {
  (void)pApi;
  (void)pFts;
  (*(sqlite3_int64 *)pUserData)++;
  return SQLITE_OK;
}

/* The query's IDFs and mean row length: as fts5Bm25GetData, but a given count is taken as is. */
static int bm25Data(const Fts5ExtensionApi *pApi, Fts5Context *pFts, int nVal, sqlite3_value **apVal,
                    Bm25Data **ppData) {
  int rc = SQLITE_OK;
  Bm25Data *p = (Bm25Data *)pApi->xGetAuxdata(pFts, 0);
  if (p == 0) {
    int nCol = pApi->xColumnCount(pFts);
    int nPhrase = pApi->xPhraseCount(pFts);
    sqlite3_int64 nRow = 0;
    sqlite3_int64 nToken = 0;
    sqlite3_int64 nByte = sizeof(Bm25Data) + nPhrase * 2 * sizeof(double);
    int i;
    p = (Bm25Data *)sqlite3_malloc64(nByte);
    if (p == 0) return SQLITE_NOMEM;
    memset(p, 0, (size_t)nByte);
    p->nPhrase = nPhrase;
    p->aIDF = (double *)&p[1];
    p->aFreq = &p->aIDF[nPhrase];
    rc = pApi->xRowCount(pFts, &nRow);
    if (rc == SQLITE_OK) rc = pApi->xColumnTotalSize(pFts, -1, &nToken);
    if (rc == SQLITE_OK) p->avgdl = (double)nToken / (double)nRow;
    for (i = 0; rc == SQLITE_OK && i < nPhrase; i++) {
      sqlite3_int64 nHit = 0;
      int arg = nCol + i;
      if (arg < nVal && sqlite3_value_type(apVal[arg]) != SQLITE_NULL) {
        nHit = sqlite3_value_int64(apVal[arg]);
      } else {
        rc = pApi->xQueryPhrase(pFts, i, (void *)&nHit, countCallback);
      }
      if (rc == SQLITE_OK) {
        /* A phrase in more than half the rows would get a negative IDF: floored as bm25() does. */
        double idf = log((nRow - nHit + 0.5) / (nHit + 0.5));
        if (idf <= 0.0) idf = 1e-6;
        p->aIDF[i] = idf;
      }
    }
    if (rc != SQLITE_OK) {
      sqlite3_free(p);
      return rc;
    }
    p->pLengths = queryLengths((LengthCache *)pApi->xUserData(pFts), pApi, pFts);
    rc = pApi->xSetAuxdata(pFts, p, bm25DataFree);
    if (rc != SQLITE_OK) return rc;
  }
  *ppData = p;
  return SQLITE_OK;
}

/* One row's score: the arithmetic of fts5Bm25Function, in the same order. */
static void evidentiaBm25(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                          sqlite3_value **apVal) {
  const double k1 = 1.2;
  const double b = 0.75;
  double score = 0.0;
  double D = 0.0;
  Bm25Data *pData = 0;
  int nInst = 0;
  int nCol = pApi->xColumnCount(pFts);
  int i;
  int rc = bm25Data(pApi, pFts, nVal, apVal, &pData);
  if (rc == SQLITE_OK) {
    memset(pData->aFreq, 0, sizeof(double) * pData->nPhrase);
    rc = pApi->xInstCount(pFts, &nInst);
  }
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK) {
      double w = (ic < nCol && nVal > ic) ? sqlite3_value_double(apVal[ic]) : 1.0;
      pData->aFreq[ip] += w;
    }
  }
  if (rc == SQLITE_OK) {
    int nTok;
    rc = rowLength(pApi, pFts, pData->pLengths, &nTok);
    D = (double)nTok;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(pCtx, rc);
    return;
  }
  for (i = 0; i < pData->nPhrase; i++) {
    double *aFreq = pData->aFreq;
    score += pData->aIDF[i] * ((aFreq[i] * (k1 + 1.0)) / (aFreq[i] + k1 * (1 - b + b * D / pData->avgdl)));
  }
  sqlite3_result_double(pCtx, -1.0 * score);
}

static void lengthHolderFree(void *p) {
  if (p) lengthsRelease(*(Lengths **)p);
  sqlite3_free(p);
}

/*
 * evidentia_length(fts_table): the current row's tokens over all columns, as bm25() takes it (the
 * row's sizes are read once for both).
 */
static void evidentiaLength(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                            sqlite3_value **apVal) {
  int nTok = 0;
  int rc = SQLITE_OK;
  /* The query's lengths, held (possibly none) as its auxiliary data from the first row on. */
  Lengths **ppLengths = (Lengths **)pApi->xGetAuxdata(pFts, 0);
  (void)nVal;
  (void)apVal;
  if (ppLengths == 0) {
    ppLengths = (Lengths **)sqlite3_malloc(sizeof(Lengths *));
    if (ppLengths == 0) {
      sqlite3_result_error_nomem(pCtx);
      return;
    }
    *ppLengths = queryLengths((LengthCache *)pApi->xUserData(pFts), pApi, pFts);
    rc = pApi->xSetAuxdata(pFts, ppLengths, lengthHolderFree);
  }
  if (rc == SQLITE_OK) rc = rowLength(pApi, pFts, *ppLengths, &nTok);
  if (rc == SQLITE_OK) {
    sqlite3_result_int(pCtx, nTok);
  } else {
    sqlite3_result_error_code(pCtx, rc);
  }
}

/*
 * Sets aMask[k] to the columns (bit c for column c, the first 8) the current row has phrase
 * first + k in, for k < nMask.
 */
static int phraseColumns(const Fts5ExtensionApi *pApi, Fts5Context *pFts, int first, unsigned char *aMask, int nMask) {
  int nInst = 0;
  int i;
  int rc = pApi->xInstCount(pFts, &nInst);
  memset(aMask, 0, (size_t)nMask);
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK && ip >= first && ip - first < nMask && ic < 8) aMask[ip - first] |= (unsigned char)(1 << ic);
  }
  return rc;
}

/*
 * evidentia_columns(fts_table, phrase): the columns the current row has the phrase in, as a bit
 * mask (bit c for column c), so one look-up tells every column a word is in.
 */
static void evidentiaColumns(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                             sqlite3_value **apVal) {
  int phrase = nVal > 0 ? sqlite3_value_int(apVal[0]) : 0;
  unsigned char mask = 0;
  int rc = phrase >= 0 ? phraseColumns(pApi, pFts, phrase, &mask, 1) : SQLITE_OK;
  if (rc == SQLITE_OK) {
    sqlite3_result_int(pCtx, mask);
  } else {
    sqlite3_result_error_code(pCtx, rc);
  }
}

/*
 * evidentia_masks(fts_table, first): evidentia_columns of every phrase from the first-th on, one
 * byte each, as a blob — so one pass over a query tells which columns each of its phrases is in.
 */
static void evidentiaMasks(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                           sqlite3_value **apVal) {
  int first = nVal > 0 ? sqlite3_value_int(apVal[0]) : 0;
  int nPhrase = pApi->xPhraseCount(pFts);
  int nMask;
  unsigned char *aMask;
  int rc;
  if (first < 0) first = 0;
  nMask = nPhrase > first ? nPhrase - first : 0;
  aMask = (unsigned char *)sqlite3_malloc(nMask > 0 ? nMask : 1);
  if (aMask == 0) {
    sqlite3_result_error_nomem(pCtx);
    return;
  }
  rc = phraseColumns(pApi, pFts, first, aMask, nMask);
  if (rc == SQLITE_OK) {
    sqlite3_result_blob(pCtx, aMask, nMask, sqlite3_free);
  } else {
    sqlite3_free(aMask);
    sqlite3_result_error_code(pCtx, rc);
  }
}

/*
 * evidentia_cache_lengths(table): names the table whose row lengths the connection keeps, and
 * says how many rows' lengths it holds for the table as it is now (0 until a query reads them,
 * and again after the table changes until one does).
 */
static void cacheLengths(sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  LengthCache *pCache = (LengthCache *)sqlite3_user_data(pCtx);
  const char *zTable = nVal > 0 ? (const char *)sqlite3_value_text(apVal[0]) : 0;
  if (zTable == 0) {
    sqlite3_result_error(pCtx, "evidentia_cache_lengths needs a table name", -1);
    return;
  }
  if (pCache->zTable == 0 || strcmp(pCache->zTable, zTable) != 0) {
    char *zCopy = sqlite3_mprintf("%s", zTable);
    if (zCopy == 0) {
      sqlite3_result_error_nomem(pCtx);
      return;
    }
    sqlite3_free(pCache->zTable);
    pCache->zTable = zCopy;
    sqlite3_free(pCache->aStamp);
    pCache->aStamp = 0;
    pCache->nStamp = 0;
    lengthsRelease(pCache->pLengths);
    pCache->pLengths = 0;
  }
  if (pCache->pLengths) {
    int nStamp = 0;
    int nAverages = 0;
    unsigned char *aStamp = readStamp(pCache, &nStamp, &nAverages);
    int fresh = aStamp != 0 && nStamp == pCache->nStamp && memcmp(aStamp, pCache->aStamp, (size_t)nStamp) == 0;
    sqlite3_free(aStamp);
    sqlite3_result_int64(pCtx, fresh ? pCache->pLengths->nHeld : 0);
  } else {
    sqlite3_result_int64(pCtx, 0);
  }
}

/* The FTS5 API of this connection, got the documented way: SELECT fts5(?1) with a bound pointer. */
static fts5_api *fts5Api(sqlite3 *db) {
  fts5_api *pRet = 0;
  sqlite3_stmt *pStmt = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, 0) == SQLITE_OK) {
    sqlite3_bind_pointer(pStmt, 1, (void *)&pRet, "fts5_api_ptr", 0);
    sqlite3_step(pStmt);
  }
  sqlite3_finalize(pStmt);
  return pRet;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_evidentiafts_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  fts5_api *fts5;
  LengthCache *pCache;
  SQLITE_EXTENSION_INIT2(pApi);
  fts5 = fts5Api(db);
  if (fts5 == 0 || fts5->iVersion < 2) {
    *pzErrMsg = sqlite3_mprintf("evidentia_bm25 needs FTS5 (version 2 of its API or later)");
    return SQLITE_ERROR;
  }
  pCache = (LengthCache *)sqlite3_malloc(sizeof(LengthCache));
  if (pCache == 0) return SQLITE_NOMEM;
  memset(pCache, 0, sizeof(LengthCache));
  pCache->db = db;
  /* The first function owns the cache: FTS5 frees it with the connection. */
  if (fts5->xCreateFunction(fts5, "evidentia_bm25", pCache, evidentiaBm25, lengthCacheFree) != SQLITE_OK) {
    lengthCacheFree(pCache);
    return SQLITE_ERROR;
  }
  if (fts5->xCreateFunction(fts5, "evidentia_length", pCache, evidentiaLength, 0) != SQLITE_OK) return SQLITE_ERROR;
  if (fts5->xCreateFunction(fts5, "evidentia_columns", 0, evidentiaColumns, 0) != SQLITE_OK) return SQLITE_ERROR;
  if (fts5->xCreateFunction(fts5, "evidentia_masks", 0, evidentiaMasks, 0) != SQLITE_OK) return SQLITE_ERROR;
  return sqlite3_create_function_v2(db, "evidentia_cache_lengths", 1, SQLITE_UTF8, pCache, cacheLengths, 0, 0, 0);
}
