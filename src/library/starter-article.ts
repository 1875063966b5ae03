import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

export const STARTER_ARTICLE_KEY = 'breast-cancer-stage-four';

/** The first article's text, in Markdown (until 2026-12 an eta partial, views/articles/content). */
export const STARTER_ARTICLE_BODY = `
Stage four breast cancer, also called metastatic or advanced breast cancer, means the cancer has spread from the breast to other parts of the body. Hearing this is hard. This page explains, in plain words, what it means, how it is treated and where to find support.

## What stage four means

In stage four breast cancer, cancer cells have travelled from the breast, through the blood or the lymph system, and started to grow in other organs. The most common places are the bones, the liver, the lungs and the brain. It is still breast cancer wherever it grows: breast cancer in the bones is treated as breast cancer, not as bone cancer.

For some people, stage four is their first diagnosis. For most, it is breast cancer that has come back in another part of the body, sometimes many years after their first treatment. Either way, it is not caused by anything you did or did not do.

## Can it be treated?

In most cases stage four breast cancer cannot be cured, but it can be treated, often for years. Treatment aims to slow or stop the cancer’s growth, to ease symptoms, and to help you live as well as possible for as long as possible. Many people live with metastatic breast cancer for a long time, and treatments keep improving.

Many people come to think of it as a long-term condition that needs ongoing care. Treatment is often given in steps: when one treatment stops working, there is usually another one to try.

## How it is treated

Your care team suggests treatment based on the type of breast cancer, where it has spread, the treatments you have had before, and what matters most to you. They often take a small sample (a biopsy) of the new growth, because the cancer’s type can change over time.

- **Hormone receptor-positive** cancers (ER- or PR-positive) are usually treated with hormone therapy, often together with a targeted medicine such as a CDK4/6 inhibitor.
- **HER2-positive** cancers are treated with medicines that target the HER2 protein, often together with chemotherapy.
- **Triple-negative** cancers are usually treated with chemotherapy, sometimes with immunotherapy or with an antibody-drug conjugate (a medicine that carries chemotherapy straight to the cancer cells).

Radiotherapy or surgery can help with particular problems, such as pain from cancer in a bone. Medicines that strengthen the bones are often given when the cancer has spread there. Clinical trials may offer newer treatments: you can ask your team whether one might suit you.

## Living with stage four breast cancer

Symptoms depend on where the cancer has spread, and many people feel well for long stretches of time. Tell your care team about new pain, breathlessness, headaches or tiredness that does not go away: there is usually something that can help.

Palliative care, also called supportive care, is not only for the end of life. Palliative care teams are experts in easing pain and other symptoms, and they can work alongside your cancer treatment from the start.

Scan days, side effects and not knowing what comes next can be exhausting. It is normal to feel frightened, angry, numb or low, and to have good days too. Talking helps: with your care team, a counsellor, the people close to you, or others who understand.

## Questions you might ask your care team

- What type of breast cancer do I have, and where has it spread?
- What is the aim of this treatment, and which side effects should I expect?
- How will we know whether the treatment is working?
- Is there a clinical trial that could be right for me?
- Whom can I contact between appointments if I am worried?

## You are not alone

Many people are living with metastatic breast cancer, and many of them share what helps them in our [discussions](/) and [support chat](/chat). If you care for someone with stage four breast cancer, there is a place for you here too.
`.trimStart();

/**
 * The library's first article, so a fresh install (outside production) has one to read, comment on and edit; the
 * comments feature seeds its page of the same key (comments/starter-page.ts). Its review record is marked as the
 * starter's: an admin names the real reviewers and dates before relying on it.
 */
@Injectable()
export class StarterArticle implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    await this.db.query(
      `INSERT INTO articles (key, title, summary, body, reviewers, sources)
       VALUES ($1, 'Breast Cancer Stage Four', $2, $3, $4::jsonb, $5::jsonb)
       ON CONFLICT (key) DO NOTHING`,
      [
        STARTER_ARTICLE_KEY,
        'Stage four (metastatic) breast cancer in plain words: what it means, how it is treated, living with it, and where to find support.',
        STARTER_ARTICLE_BODY,
        JSON.stringify([{ name: 'the Haven medical advisory group', credentials: 'starter text, to be reviewed' }]),
        JSON.stringify([
          {
            title: 'NHS: Breast cancer in women, secondary breast cancer',
            url: 'https://www.nhs.uk/conditions/breast-cancer-in-women/',
          },
          {
            title: 'Breast Cancer Now: Secondary breast cancer',
            url: 'https://breastcancernow.org/about-breast-cancer/secondary-breast-cancer/',
          },
          {
            title: 'Macmillan Cancer Support: Secondary breast cancer',
            url: 'https://www.macmillan.org.uk/cancer-information-and-support/breast-cancer/secondary-breast-cancer',
          },
          {
            title: 'American Cancer Society: Treatment of stage IV (metastatic) breast cancer',
            url: 'https://www.cancer.org/cancer/types/breast-cancer/treatment/treatment-of-breast-cancer-by-stage/treatment-of-stage-iv-advanced-breast-cancer.html',
          },
        ]),
      ],
    );
  }
}
