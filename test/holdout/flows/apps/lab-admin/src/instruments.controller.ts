import { Body, Controller, Get, Param, Patch, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { instruments } from './store';

@UseGuards(AuthGuard('jwt'))
@Controller('instruments')
export class InstrumentsController {
  // ok: unauthenticated-route
  @Get()
  list() {
    return instruments.all();
  }

  // ok: unauthenticated-route
  @Patch(':id/calibration')
  calibrate(@Param('id') id: string, @Body() body: { lot: string }) {
    return instruments.calibrate(id, body.lot);
  }
}
