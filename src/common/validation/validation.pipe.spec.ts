import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { PageQueryDto } from '../dto/pagination.dto';
import { createValidationPipe } from './validation.pipe';

const asQuery: ArgumentMetadata = { type: 'query', metatype: PageQueryDto, data: undefined };

describe('the validation pipe on whole-query DTOs', () => {
  it('gives each request its own DTO, equal for the same query, whatever an earlier handler did to its copy', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ limit: '20' }, asQuery)) as PageQueryDto;
    expect(first).toBeInstanceOf(PageQueryDto);
    expect({ ...first }).toEqual({ limit: 20 });
    first.limit = 99; // a handler changing its DTO
    const second = (await pipe.transform({ limit: '20' }, asQuery)) as PageQueryDto;
    second.skip = 5;
    const third = (await pipe.transform({ limit: '20' }, asQuery)) as PageQueryDto;
    expect([second, third].map((d) => d instanceof PageQueryDto)).toEqual([true, true]);
    expect({ third: { ...third }, distinct: second !== third }).toEqual({ third: { limit: 20 }, distinct: true });
    expect({ ...((await pipe.transform({ limit: '5' }, asQuery)) as PageQueryDto) }).toEqual({ limit: 5 });
  });

  it('refuses a bad query every time it is sent', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '0' }, asQuery)).rejects.toBeInstanceOf(AppError);
      await expect(pipe.transform({ limit: '10', page: '2' }, asQuery)).rejects.toBeInstanceOf(AppError);
      await expect(pipe.transform({ tenant_id: 'x' }, asQuery)).rejects.toBeInstanceOf(AppError);
    }
  });
});
