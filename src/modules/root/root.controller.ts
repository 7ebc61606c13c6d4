import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/decorators/public.decorator';
import { SkipRequestContext } from '../../infra/request-context/skip-request-context.decorator';

class WelcomeDto {
  @ApiProperty({ example: 'Welcome to the Multi-Tenant Backend API' })
  message!: string;
}

const WELCOME: WelcomeDto = { message: 'Welcome to the Multi-Tenant Backend API' };

@ApiTags('meta')
@Controller()
export class RootController {
  @Public()
  @SkipRequestContext()
  @Get()
  @ApiOperation({ summary: 'Welcome message' })
  @ApiOkResponse({ type: WelcomeDto })
  welcome(): WelcomeDto {
    return WELCOME;
  }
}
