import { NestFactory } from '@nestjs/core';
import { LabAdminModule } from './lab-admin.module';

async function bootstrap() {
  const app = await NestFactory.create(LabAdminModule);
  app.setGlobalPrefix('admin');
  await app.listen(3600);
}

void bootstrap();
