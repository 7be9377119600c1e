/**
 * An input past one of the limits CORS Lens sets on what it reads (an nginx file whose includes
 * expand without end): reported on the file as that limit, not as a crash of the reader.
 */
export class InputLimit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputLimit';
  }
}
