import dimse from 'dcmjs-dimse';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeInPacs, type PacsNode } from '../../src/network/pacs-transport.ts';
import { freePort } from '../helpers/pacs-storescp.ts';

const { Server, Scp } = dimse;
const { CStoreResponse } = dimse.responses;
const { PresentationContextResult, TransferSyntax } = dimse.constants;

const SR = '1.2.840.10008.5.1.4.1.1.88.33';
const PDF = '1.2.840.10008.5.1.4.1.1.104.1';

/** What the test PACS answers: a status per SOP class, and the SOP classes it does not accept at all. */
const pacs = { status: new Map<string, number>(), refuse: new Set<string>() };

class TestPacs extends Scp {
  override associationRequested(association: dimse.association.Association): void {
    for (const context of association.getPresentationContexts()) {
      const pc = association.getPresentationContext(context.id);
      if (pacs.refuse.has(pc.getAbstractSyntaxUid())) pc.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      else pc.setResult(PresentationContextResult.Accept, TransferSyntax.ExplicitVRLittleEndian);
    }
    this.sendAssociationAccept();
  }

  override cStoreRequest(request: dimse.requests.CStoreRequest, callback: (response: dimse.responses.CStoreResponse) => void): void {
    const response = CStoreResponse.fromRequest(request);
    response.setStatus(pacs.status.get(request.getAffectedSopClassUid()) ?? 0x0000);
    callback(response);
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }
}

function object(label: string, sopClassUid: string) {
  return { label, dataset: { SOPClassUID: sopClassUid, SOPInstanceUID: `2.25.${sopClassUid.length}${label.length}`, PatientID: 'P1', StudyInstanceUID: '2.25.1', SeriesInstanceUID: '2.25.2', Modality: 'OT' } };
}

describe('when a C-STORE counts as stored', () => {
  let node: PacsNode;
  let server: InstanceType<typeof Server> | null = null;
  beforeAll(() => {
    dimse.log.setLevel('silent');
  });
  afterEach(() => {
    server?.close();
    server = null;
    pacs.status.clear();
    pacs.refuse.clear();
  });

  async function listen(): Promise<void> {
    const port = await freePort();
    server = new Server(TestPacs);
    server.listen(port);
    node = { aeTitle: 'PACS', host: '127.0.0.1', port, callingAeTitle: 'DEXA', timeoutSeconds: 3 };
  }

  it('success and the warnings that still store (B000, B006, B007) count', async () => {
    await listen();
    pacs.status.set(PDF, 0xb007);
    pacs.status.set(SR, 0xb000);
    await expect(storeInPacs(node, [object('the letter', PDF), object('the SR', SR)])).resolves.toEqual(['the letter: warning: data set does not match SOP class', 'the SR: warning: coercion of data elements']);
    pacs.status.set(SR, 0xb006);
    pacs.status.set(PDF, 0x0000);
    await expect(storeInPacs(node, [object('the letter', PDF), object('the SR', SR)])).resolves.toEqual(['the letter: success', 'the SR: warning: elements discarded']);
  });

  it('a failure status for either object, or an object whose SOP class the PACS does not take, fails the try', async () => {
    await listen();
    pacs.status.set(SR, 0xa700);
    await expect(storeInPacs(node, [object('the letter', PDF), object('the SR', SR)])).rejects.toThrow(/^PACS PACS@127\.0\.0\.1:\d+: the SR was refused with status 0xa700$/);
    pacs.status.clear();
    pacs.refuse.add(PDF);
    await expect(storeInPacs(node, [object('the letter', PDF), object('the SR', SR)])).rejects.toThrow(/the letter was not stored \(no answer; is its SOP class accepted\?\)$/);
  });

  it('nobody listening fails the try at once', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(storeInPacs({ aeTitle: 'PACS', host: '127.0.0.1', port, callingAeTitle: 'DEXA', timeoutSeconds: 30 }, [object('the SR', SR)])).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
