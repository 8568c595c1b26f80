import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import type { TestService } from './service.ts';

type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/**
 * Runs activities through the API the way a client does, and holds every output to its
 * activity's output schema: the runtime only logs a mismatch, a test fails on it, so the
 * definitions stay true to what the (emulated) vendor really returns.
 */
export class ActivityClient {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  private constructor(private readonly s: TestService) {
    addFormats(this.ajv);
  }

  static async for(s: TestService, connector: string): Promise<ActivityClient> {
    const client = new ActivityClient(s);
    const list = await s.api('GET', `/api/v1/connectors/${connector}/activities`);
    assert.equal(list.statusCode, 200, list.body);
    for (const a of list.json().items as Array<{ key: string; output: object }>) client.validators.set(a.key, client.ajv.compile(a.output));
    return client;
  }

  call(connectionId: string, activity: string, input: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.s.api('POST', `/api/v1/connections/${connectionId}/activities/${activity}`, { body: { input }, headers });
  }

  /** Runs and expects success; returns the output (checked against the output schema) and meta. */
  async run<T = any>(connectionId: string, activity: string, input: Record<string, unknown> = {}): Promise<{ output: T; meta: Record<string, any> }> {
    const res = await this.call(connectionId, activity, input);
    assert.equal(res.statusCode, 200, `${activity}: ${res.body}`);
    const body = res.json() as { output: T; meta: Record<string, any> };
    const validate = this.validators.get(activity)!;
    const valid = validate(structuredClone(body.output));
    assert.ok(valid, `${activity} output does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    return body;
  }

  async out<T = any>(connectionId: string, activity: string, input: Record<string, unknown> = {}): Promise<T> {
    return (await this.run<T>(connectionId, activity, input)).output;
  }

  /** Runs and expects a problem; returns it. */
  async fails(connectionId: string, activity: string, input: Record<string, unknown>, status: number): Promise<Record<string, any>> {
    const res = await this.call(connectionId, activity, input);
    assert.equal(res.statusCode, status, `${activity}: ${res.body}`);
    return res.json();
  }
}
