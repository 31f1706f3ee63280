import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { ImportOptions, Transfer } from './types.js';

/** A workspace's imports and exports (admins and owners): start them, follow them, download an export. */
export class TransferService {
  constructor(private readonly http: HttpClient) {}

  list(workspaceId: string): Promise<Transfer[]> {
    return this.http.call(E.listTransfers, { params: { id: workspaceId } });
  }
  get(workspaceId: string, transferId: string): Promise<Transfer> {
    return this.http.call(E.getTransfer, { params: { id: workspaceId, transferId } });
  }
  startExport(workspaceId: string): Promise<Transfer> {
    return this.http.call(E.startExport, { params: { id: workspaceId } });
  }
  startImport(workspaceId: string, file: File, options: ImportOptions): Promise<Transfer> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.http.call(E.startImport, { params: { id: workspaceId }, query: options, body: form });
  }
  /** The zip as a Blob: the request carries the bearer token, so a plain link cannot fetch it. */
  async download(workspaceId: string, transferId: string): Promise<Blob> {
    const response = await this.http.send(E.downloadExport, { params: { id: workspaceId, transferId } });
    return response.blob();
  }
}
