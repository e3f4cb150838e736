import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../auth/access.decorator';

@ApiExcludeController()
@Controller()
export class HomeController {
  @Get()
  @Public()
  @Render('home')
  home() {
    return { title: 'Adhere' };
  }
}
