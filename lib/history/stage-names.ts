/**
 * Stage names given in Settings (table stage_names, per endpoint and stage id). Some providers send
 * stage ids only (Lever); the stored events keep the ids and every read that shows a stage passes it
 * through `nameStage`, so naming a stage renames it in every past event and removing the name shows
 * the id again. This is the one rule; the readers (timeline, candidate list, events list, CSV export,
 * overview) only call it.
 */

export interface StageNameRow {
  endpointId: string;
  /** The endpoint's provider. */
  provider: string;
  stageId: string;
  name: string;
}

/**
 * Where a stage was read: the event's endpoint when there is one (a candidate's current stage has
 * none); no provider for a figure over every provider (the analytics summaries).
 */
export interface StageContext {
  provider?: string;
  endpointId?: string | null;
}

export type NameStage = <S extends string | null>(stage: S, where: StageContext) => S;

/** No names given: every stage reads as stored. */
export const storedStageNames: NameStage = (stage) => stage;

/**
 * The naming rule: the name the event's own endpoint gives the stage id; else a name another endpoint
 * of the same provider gives it (a Lever account whose webhooks each have their own token, hence
 * their own endpoint, names its stages once), the first row winning (callers list the newest first);
 * read with no provider, a name any endpoint gives it, the first row winning; else the id as stored.
 */
export function stageNamer(rows: readonly StageNameRow[]): NameStage {
  if (rows.length === 0) return storedStageNames;
  const byEndpoint = new Map<string, string>();
  const byProvider = new Map<string, string>();
  const byStage = new Map<string, string>();
  for (const row of rows) {
    const own = `${row.endpointId}\u0000${row.stageId}`;
    if (!byEndpoint.has(own)) byEndpoint.set(own, row.name);
    const shared = `${row.provider}\u0000${row.stageId}`;
    if (!byProvider.has(shared)) byProvider.set(shared, row.name);
    if (!byStage.has(row.stageId)) byStage.set(row.stageId, row.name);
  }
  return (<S extends string | null>(stage: S, where: StageContext): S => {
    if (stage === null) return stage;
    const own = where.endpointId ? byEndpoint.get(`${where.endpointId}\u0000${stage}`) : undefined;
    const shared = where.provider === undefined ? byStage.get(stage) : byProvider.get(`${where.provider}\u0000${stage}`);
    return (own ?? shared ?? stage) as S;
  }) as NameStage;
}
