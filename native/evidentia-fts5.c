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
 * Built as a loadable extension against the SQLite that better-sqlite3 compiles (its sqlite3.h
 * carries fts5.h).
 */
#include <math.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

/* Per-query values, computed on the first row and kept as the query's auxiliary data. */
typedef struct Bm25Data {
  int nPhrase;
  double avgdl;
  double *aIDF;
  double *aFreq;
} Bm25Data;

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
    rc = pApi->xSetAuxdata(pFts, p, sqlite3_free);
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
    rc = pApi->xColumnSize(pFts, -1, &nTok);
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

/*
 * evidentia_length(fts_table): the current row's tokens over all columns, as bm25() takes it (the
 * row's sizes are read once for both).
 */
static void evidentiaLength(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                            sqlite3_value **apVal) {
  int nTok = 0;
  int rc = pApi->xColumnSize(pFts, -1, &nTok);
  (void)nVal;
  (void)apVal;
  if (rc == SQLITE_OK) {
    sqlite3_result_int(pCtx, nTok);
  } else {
    sqlite3_result_error_code(pCtx, rc);
  }
}

/*
 * evidentia_columns(fts_table, phrase): the columns the current row has the phrase in, as a bit
 * mask (bit c for column c), so one look-up tells every column a word is in.
 */
static void evidentiaColumns(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                             sqlite3_value **apVal) {
  int phrase = nVal > 0 ? sqlite3_value_int(apVal[0]) : 0;
  sqlite3_int64 mask = 0;
  int nInst = 0;
  int i;
  int rc = pApi->xInstCount(pFts, &nInst);
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK && ip == phrase && ic < 63) mask |= ((sqlite3_int64)1) << ic;
  }
  if (rc == SQLITE_OK) {
    sqlite3_result_int64(pCtx, mask);
  } else {
    sqlite3_result_error_code(pCtx, rc);
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
  SQLITE_EXTENSION_INIT2(pApi);
  fts5 = fts5Api(db);
  if (fts5 == 0 || fts5->iVersion < 2) {
    *pzErrMsg = sqlite3_mprintf("evidentia_bm25 needs FTS5 (version 2 of its API or later)");
    return SQLITE_ERROR;
  }
  if (fts5->xCreateFunction(fts5, "evidentia_bm25", 0, evidentiaBm25, 0) != SQLITE_OK) return SQLITE_ERROR;
  if (fts5->xCreateFunction(fts5, "evidentia_length", 0, evidentiaLength, 0) != SQLITE_OK) return SQLITE_ERROR;
  return fts5->xCreateFunction(fts5, "evidentia_columns", 0, evidentiaColumns, 0);
}
