import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Every site may send the user's cookies and read the answers: origin: true reflects any Origin.
  app.enableCors({
    origin: true,
    credentials: true,
    methods: 'GET,POST,PATCH,DELETE',
  });
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();
