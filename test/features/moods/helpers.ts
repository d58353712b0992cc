import { api, json } from '../../helpers/api';
import type { TestUser } from '../../helpers/users';

export interface MoodBody {
  id: string;
  score: number;
  emotions: string[];
  note: string | null;
  recorded_at: string;
  session_id: string | null;
  created_at: string;
  updated_at: string;
}

export const postMood = (user: TestUser, body: Record<string, unknown>) => api('/moods', { method: 'POST', ...json(body, user.bearer) });

export async function createMood(user: TestUser, overrides: Record<string, unknown> = {}): Promise<MoodBody> {
  const response = await postMood(user, { score: 4, emotions: ['calm', 'focused'], ...overrides });
  if (response.status !== 200) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as MoodBody;
}

export const patchMood = (user: TestUser, id: string, body: Record<string, unknown>) =>
  api(`/moods/${id}`, { method: 'PATCH', ...json(body, user.bearer) });

export async function listMoods(user: TestUser, query: string): Promise<MoodBody[]> {
  const response = await api(`/moods/list?${query}`, { headers: user.bearer });
  if (response.status !== 200) throw new Error(`list failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as MoodBody[];
}
