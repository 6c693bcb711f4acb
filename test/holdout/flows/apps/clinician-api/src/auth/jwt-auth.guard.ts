import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

export const ALLOW_ANONYMOUS = 'northgate:allow-anonymous';

/** Opens one handler or a whole controller to anonymous callers. */
export const AllowAnonymous = () => SetMetadata(ALLOW_ANONYMOUS, true);
export const SkipAuth = AllowAnonymous;

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    const anonymous = this.reflector.getAllAndOverride<boolean>(ALLOW_ANONYMOUS, [context.getHandler(), context.getClass()]);
    return anonymous ? true : super.canActivate(context);
  }
}
