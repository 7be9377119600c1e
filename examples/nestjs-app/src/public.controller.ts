import { Controller, Get, Header } from '@nestjs/common';

@Controller('public')
export class PublicController {
  @Get('status')
  @Header('Access-Control-Allow-Origin', '*')
  status(): { ok: boolean } {
    return { ok: true };
  }
}
