import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.decorator';

@ApiExcludeController()
@Controller()
export class HomeController {
  @Get()
  @Public()
  @Render('home/home')
  home() {
    return {
      title: 'Adhere',
      description: 'Providers of online services and detection tools declare adherence to a code of conduct, back it with evidence, have it verified by an independent monitoring body, and appear in a public register anyone can search and check.',
    };
  }
}
